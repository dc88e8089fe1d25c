import ArgumentParser
import ThumbRating

/// The smoother's timings, for the commands that emit rating events.
struct SmoothingOptions: ParsableArguments {
    @Option(help: "Seconds a gesture must hold before it is a rating.")
    var hold = RatingSmoother.Configuration().hold

    @Option(help: "Seconds without any rating gesture before the same rating counts again.")
    var rearm = RatingSmoother.Configuration().rearm

    @Option(help: "Gaps shorter than this many seconds neither end nor restart a gesture.")
    var dropout = RatingSmoother.Configuration().dropout

    var configuration: RatingSmoother.Configuration {
        RatingSmoother.Configuration(hold: hold, rearm: rearm, dropout: dropout)
    }

    func validate() throws {
        guard hold > 0, rearm >= 0, dropout >= 0 else {
            throw ValidationError("--hold must be above 0 and --rearm, --dropout at least 0")
        }
    }
}
