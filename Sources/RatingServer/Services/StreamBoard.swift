import Foundation
import RatingStream
import ServiceLifecycle

/// The streams running now, kept from the status ring: `GET /api/streams`.
///
/// It reads the ring with a gating cursor (statuses are few: a start, one every 150 frames, an end),
/// so no start or end is ever missed and the board never keeps a stream that has gone.
final class StreamBoard: Service, @unchecked Sendable {
    private let context: ServerContext
    private let cursor: RingCursor<StreamStatus>
    private let lock = NSLock()
    private var streams: [UUID: StreamStatus] = [:]

    /// Create before any stream starts.
    init(context: ServerContext) {
        self.context = context
        self.cursor = context.status.makeCursor(gating: true)
    }

    /// Running streams, oldest kiosk name first.
    var active: [StreamStatus] {
        lock.withLock { Array(streams.values) }.sorted { ($0.kiosk.value, $0.wallTime) < ($1.kiosk.value, $1.wallTime) }
    }

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while let read = await self.cursor.next() {
                guard case .element(_, let status) = read else { continue }
                self.apply(status)
            }
        }
    }

    private func apply(_ status: StreamStatus) {
        lock.withLock {
            if status.state == .ended {
                streams[status.session] = nil
            } else {
                streams[status.session] = status
            }
        }
    }
}
