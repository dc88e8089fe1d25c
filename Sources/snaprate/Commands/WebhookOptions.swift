import ArgumentParser
import Foundation
import Logging
import SnapRateCore
import SnapRateServer

/// `serve`'s webhook flags: where the targets come from and how long a failing one is retried.
struct WebhookOptions: ParsableArguments {
    @Option(name: .customLong("webhooks"), help: ArgumentHelp(
        "POST every stored rating to the targets in this file, one `URL SECRET [id=NAME] [kiosks=K1,K2] [ratings=up|down]` a line.",
        valueName: "file"))
    var webhooksFile: String?

    @Option(name: .customLong("webhook-give-up"), help: ArgumentHelp(
        "Skip the ratings waiting for a webhook target that has failed for this long (logged and counted): 90s, 30m, 24h, 2d.",
        valueName: "duration"))
    var giveUp = "24h"

    @Option(name: .customLong("webhook-timeout"), help: ArgumentHelp(
        "Longest one webhook request may take, connecting included: 500ms, 10s.", valueName: "duration"))
    var timeout = "10s"

    /// SNAPRATE_WEBHOOKS_FILE, SNAPRATE_WEBHOOK_GIVE_UP and SNAPRATE_WEBHOOK_TIMEOUT fill the flags
    /// left unset.
    mutating func applyEnvironment(_ environment: [String: String]) {
        if webhooksFile == nil, let value = environment["SNAPRATE_WEBHOOKS_FILE"], !value.isEmpty { webhooksFile = value }
        if giveUp == "24h", let value = environment["SNAPRATE_WEBHOOK_GIVE_UP"], !value.isEmpty { giveUp = value }
        if timeout == "10s", let value = environment["SNAPRATE_WEBHOOK_TIMEOUT"], !value.isEmpty { timeout = value }
    }

    /// The webhook configuration; exits 2 with one line naming the file and line (never a secret)
    /// when it cannot be used.
    func resolve(logger: Logger) throws(ExitCode) -> WebhookConfiguration {
        var configuration = WebhookConfiguration()
        guard let giveUp = Self.duration(giveUp), giveUp > .zero, let timeout = Self.duration(timeout), timeout > .zero else {
            Console.error("--webhook-give-up and --webhook-timeout take a positive duration: a number and ms, s, m, h or d (e.g. 24h)")
            throw ExitCode(2)
        }
        configuration.giveUp = giveUp
        configuration.timeout = timeout
        guard let webhooksFile else { return configuration }
        do {
            configuration.targets = try WebhookTargets.load(file: webhooksFile).targets
        } catch {
            Console.error("\(error)")
            throw ExitCode(2)
        }
        SecretFile.warnIfOthersCanRead(webhooksFile, what: "webhooks file", logger: logger)
        for target in configuration.targets where target.sendsInClearText {
            logger.warning("""
                webhook target \(target.id) is plain http to another machine: its ratings cross the network \
                unencrypted (its signature still proves the sender); use https
                """)
        }
        return configuration
    }

    /// `90s`, `30m`, `24h`, `2d`, `500ms`, or a number of seconds.
    static func duration(_ text: String) -> Duration? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400)]
        for (suffix, seconds) in units where text.hasSuffix(suffix) {
            // "ms" before "s" and "m": the first suffix that leaves a number wins.
            if let value = Double(text.dropLast(suffix.count)), value.isFinite { return Duration.inSeconds(value * seconds) }
        }
        guard let value = Double(text), value.isFinite else { return nil }
        return Duration.inSeconds(value)
    }
}
