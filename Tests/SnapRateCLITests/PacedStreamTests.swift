import Crypto
import Foundation
import Logging
@testable import snaprate
import Testing
import TestSupport

/// `loadtest`'s simulated camera against a server that refuses it the way `snaprate serve` does at
/// its limits: the reason, a close frame and the end of its output, all sent as the upgrade is
/// answered. Under load those arrive with the 101 answer, and the WebSocket client drops them,
/// end of input included; the stream must end all the same.
@Suite(.timeLimit(.minutes(5))) struct PacedStreamTests {
    @Test func aStreamRefusedWithTheUpgradeAnswerStillEnds() async throws {
        let (listener, port) = try LoopbackSocket.bind(listening: 1)
        defer { close(listener) }
        let peer = Task { try await offPool { try RefusingPeer.serveOne(listener) } }
        let looped = try await LoopedClip.make(clip: TestData.fixture("vp8_640x480.webm"), seconds: 1, ffmpeg: "/usr/bin/ffmpeg")
        defer { looped.remove() }
        let url = "ws://127.0.0.1:\(port)/ingest/load-0"
        var stream = PacedStream(looped: looped, ingestURL: url, token: LoadAccess(token: nil), duration: 1,
                                 logger: Logger(label: "test.paced-stream"))
        stream.closeGrace = .seconds(1)

        let failure = try #require(await stream.run(), "a refused stream is a failure")
        // The client either read the refusal or lost it with the 101; it says which it saw.
        #expect(failure.hasPrefix(url + ": "))
        #expect(failure.hasSuffix(RefusingPeer.reason)
                || failure.hasSuffix("the server did not close the stream within 1 s of its end, and sent nothing"), "\(failure)")
        let request = try await peer.value
        #expect(request.hasPrefix("GET /ingest/load-0 HTTP/1.1\r\n"), "\(request)")
    }
}

/// One connection answered as the server answers a stream over its limit, in a single write.
enum RefusingPeer {
    static let reason = "the server is at its limit of 1 streams"

    /// Accepts one connection, refuses it, and reads until the client hangs up; the request's head.
    static func serveOne(_ listener: Int32) throws -> String {
        let connection = accept(listener, nil, nil)
        guard connection >= 0 else { throw MissingTestData(description: "accept failed: errno \(errno)") }
        defer { close(connection) }
        var head = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !head.ends(with: Array("\r\n\r\n".utf8)) {
            let got = try receiveWithoutDeadline(connection, into: &buffer, count: 1, waitingFor: "the upgrade request")
            guard got > 0 else { throw MissingTestData(description: "the client hung up before its request's end") }
            head.append(buffer[0])
        }
        let request = String(decoding: head, as: UTF8.self)
        guard let key = request.split(separator: "\r\n").first(where: { $0.lowercased().hasPrefix("sec-websocket-key:") })?
            .split(separator: ":", maxSplits: 1).last?.trimmingCharacters(in: .whitespaces) else {
            throw MissingTestData(description: "no Sec-WebSocket-Key in \(request)")
        }
        let accept = Data(Insecure.SHA1.hash(data: Data((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").utf8))).base64EncodedString()
        var answer = Array("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: upgrade\r\nSec-WebSocket-Accept: \(accept)\r\n\r\n".utf8)
        let message = Array(#"{"message":"\#(reason)","type":"error"}"#.utf8)
        answer += [0x81, UInt8(message.count)] + message
        let closeReason = Array("max_streams".utf8)
        answer += [0x88, UInt8(2 + closeReason.count), 0x03, 0xF5] + closeReason  // 1013: try again later
        // Corked, so that the answer and the end of output leave as one segment, as they come
        // under load: the client reads them in one go.
        var on: Int32 = 1
        setsockopt(connection, Int32(IPPROTO_TCP), TCP_CORK, &on, socklen_t(MemoryLayout<Int32>.size))
        guard send(connection, answer, answer.count, Int32(MSG_NOSIGNAL)) == answer.count else {
            throw MissingTestData(description: "could not send the refusal: errno \(errno)")
        }
        shutdown(connection, Int32(SHUT_WR))
        // As the server does: its output is over, and it reads until the client closes.
        while try receiveWithoutDeadline(connection, into: &buffer, count: buffer.count, waitingFor: "the client to hang up") > 0 {}
        return request
    }
}

private extension Array where Element == UInt8 {
    func ends(with suffix: [UInt8]) -> Bool { count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix }
}
