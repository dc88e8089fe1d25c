import MediaIngest
import SnapRateCore
import ServiceLifecycle

/// `--stdin KIOSK`: one stream read from standard input. When the pipe ends the stream's session
/// ends and the server keeps running; on shutdown the stream stops after the frame in hand.
///
/// Its bytes go to the decoder unchecked, unlike `/ingest`'s (`ContainerSniffer`, `MP4BoxWalker`):
/// the pipe is the operator's own, like a file given to `analyze`, and it may carry any container
/// FFmpeg reads, where the box walk knows fragmented MP4 only.
struct StdinIngest: Service {
    let context: ServerContext
    let kiosk: KioskID
    let source: ByteSource

    func run() async throws {
        let runner = StreamRunner(context: context, kiosk: kiosk)
        _ = await cancelWhenGracefulShutdown {
            await runner.run(source: source)
        }
        // Stay until shutdown so the group does not read our end as the server's.
        try? await gracefulShutdown()
    }
}
