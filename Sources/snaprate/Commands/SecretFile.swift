import Foundation
import Logging

/// A file of secrets named on the command line (the tokens file, the webhooks file).
enum SecretFile {
    /// Warns when users other than the owner may read `path`: the secrets in it would be theirs too.
    static func warnIfOthersCanRead(_ path: String, what: String, logger: Logger) {
        guard let mode = (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int,
              mode & 0o077 != 0 else { return }
        logger.warning("the \(what) \(path) can be read by other users (mode \(String(mode, radix: 8))): chmod 600 it")
    }
}
