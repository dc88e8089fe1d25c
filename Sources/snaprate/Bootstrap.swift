import ArgumentParser
import Logging
import MediaIngest

/// Process-wide setup, done once by the entry point of each command and nowhere else.
enum Bootstrap {
    static func logging(level: Logger.Level) {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        FFmpegLog.setLevel(level <= .debug ? .warning : .quiet)
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

/// Options every command shares.
struct GlobalOptions: ParsableArguments {
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: Logger.Level = .warning
}
