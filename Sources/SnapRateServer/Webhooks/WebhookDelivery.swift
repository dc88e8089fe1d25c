import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import ServiceLifecycle

/// POSTs every stored rating to each webhook target, in sequence order, at least once.
///
/// Each target has a task of its own and a cursor in the store (the last sequence number it
/// acknowledged with a 2xx), so a target that is down or slow holds up nothing but itself: it reads
/// the stored-ratings ring with a non-gating cursor (the store writer never waits for it) and
/// falls back to the store when it is behind. A restart resumes from the cursor. With a store
/// shared by several nodes, the node holding a target's lease in the store delivers to it
/// (`WebhookTargetDelivery`).
struct WebhookDelivery: Service {
    let context: ServerContext
    /// This process, as the holder of target leases.
    let holder = UUID()

    func run() async throws {
        let configuration = context.configuration.webhooks
        // Certificates are verified (the client's default); a redirect is an answer other than 2xx,
        // never followed: the signature was made for this target.
        var clientConfiguration = HTTPClient.Configuration()
        clientConfiguration.redirectConfiguration = .disallow
        clientConfiguration.timeout = HTTPClient.Configuration.Timeout(
            connect: TimeAmount(configuration.timeout), read: TimeAmount(configuration.timeout))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration,
                                backgroundActivityLogger: Self.clientLogger(context.logger))
        let context = context, holder = holder
        context.logger.info("webhooks on", metadata: ["targets": "\(configuration.targets.map(\.id).joined(separator: ","))"])
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                for target in configuration.targets {
                    group.addTask {
                        await WebhookTargetDelivery(context: context, target: target, client: client, holder: holder).run()
                    }
                }
            }
        }
        try? await client.shutdown()
    }

    /// The client's own logs at info at the most: at debug it would name each request's URL, whose
    /// path may hold a receiver's credential.
    static func clientLogger(_ logger: Logger) -> Logger {
        var quieter = logger
        quieter.logLevel = max(quieter.logLevel, .info)
        return quieter
    }
}
