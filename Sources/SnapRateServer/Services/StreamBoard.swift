import Foundation
import NIOConcurrencyHelpers
import RatingRing
import ServiceLifecycle

/// One running stream as the board knows it: its latest status, when it started and how fast it
/// has been decoding lately.
struct StreamHealth: Sendable, Equatable {
    var status: StreamStatus
    var started: Date
    /// Frames decoded per second between the last two statuses (0 until the second one).
    var framesPerSecond: Double
}

/// The streams running now, kept from the status ring: `GET /api/streams`.
///
/// It reads the ring with a gating cursor (statuses are few: a start, about one a second, an end),
/// so no start or end is ever missed and the board never keeps a stream that has gone.
final class StreamBoard: Service, Sendable {
    private let context: ServerContext
    private let cursor: RingCursor<StreamStatus>
    private let streams = NIOLockedValueBox<[UUID: StreamHealth]>([:])

    /// Create before any stream starts.
    init(context: ServerContext) {
        self.context = context
        self.cursor = context.status.makeCursor(gating: true)
    }

    /// Running streams, by kiosk name, then oldest first.
    var active: [StreamHealth] {
        streams.withLockedValue { Array($0.values) }.sorted {
            ($0.status.kiosk.value, $0.started) < ($1.status.kiosk.value, $1.started)
        }
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while let read = await self.cursor.next() {
                guard case .element(_, let status) = read else { continue }
                self.apply(status)
            }
        }
    }

    private func apply(_ status: StreamStatus) {
        streams.withLockedValue { streams in
            guard status.state != .ended else {
                streams[status.session] = nil
                return
            }
            guard let previous = streams[status.session] else {
                streams[status.session] = StreamHealth(status: status, started: status.wallTime, framesPerSecond: 0)
                return
            }
            let seconds = status.wallTime.timeIntervalSince(previous.status.wallTime)
            let frames = status.framesDecoded - previous.status.framesDecoded
            let rate = seconds > 0 ? Double(frames) / seconds : previous.framesPerSecond
            streams[status.session] = StreamHealth(status: status, started: previous.started, framesPerSecond: rate)
        }
    }
}
