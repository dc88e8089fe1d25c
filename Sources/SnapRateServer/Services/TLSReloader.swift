import Logging
import ServiceLifecycle
import UnixSignals

/// Reads the TLS certificate and key again on SIGHUP, so a renewed certificate needs no restart.
/// A pair that cannot be used is logged and the one in use kept.
struct TLSReloader: Service {
    let credentials: TLSCredentials
    let logger: Logger

    func run() async throws {
        // Trapping SIGHUP also keeps it from ending the process, its default.
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals.cancelOnGracefulShutdown() {
            do {
                try credentials.reload()
                logger.info("reloaded the TLS certificate", metadata: ["file": "\(credentials.files.certificateChain)"])
            } catch {
                logger.error("kept the TLS certificate in use: \(error)")
            }
        }
    }
}
