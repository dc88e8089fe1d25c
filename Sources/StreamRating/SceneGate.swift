/// Decides, picture by picture, whether a stream with no hand tracked is worth a hand search.
///
/// A kiosk spends most of its day with nobody giving a rating: an empty booth, people walking
/// past. While a hand is tracked every picture is processed, as before. With none tracked, a
/// picture is searched when the scene has changed (against the picture before it, or against the
/// last one searched, so a slow change adds up) and the last search is `searchInterval` old; the
/// searches go on for `settle` after the last change, for a visitor who has come and stopped
/// moving; and with nothing changing at all, a quick look every `heartbeat` (the palm detector
/// alone, without the tracker's wider rescue search, which the changes before had their turns at).
///
/// Everything it decides on is in the stream: the pictures' luma and their media times, never
/// the wall clock, so the same bytes get the same searches in `analyze` and in `serve`.
public struct SceneGate: Sendable {
    public struct Configuration: Sendable, Equatable {
        /// With no hand tracked and the scene changing, search at most this often (media seconds).
        /// 0, every picture: searching every other picture of a 30 fps stream made a visitor three
        /// times as far away (`eval --robustness --compare-detection`) rated 0.33 s later, for the
        /// tracker's zoomed-in squares take turns search by search.
        public var searchInterval: Double = 0
        /// Searches go on this long after the scene last changed.
        public var settle: Double = 1
        /// With nothing changing, one search this often anyway.
        public var heartbeat: Double = 4
        /// A cell has changed when its mean luma moved by more than this (of 255), beyond what the
        /// whole picture moved.
        public var cellThreshold: Int = 6
        /// The scene has changed when at least this many cells have.
        public var minChangedCells: Int = 2

        public init() {}
    }

    /// What to do with one picture.
    public enum Decision: Sendable, Equatable {
        /// No search: the picture counts as one without hands.
        case skip
        /// The palm detector alone: a still scene's periodic look.
        case glance
        /// The full search, as every picture had without the gate.
        case search
    }

    public let configuration: Configuration
    private var previous: SceneThumbnail?
    /// The picture last searched, and when.
    private var searched: (thumbnail: SceneThumbnail?, time: Double)?
    private var lastChange: Double?

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// What to do with the picture at `time`, whose luma is `thumbnail` (nil: not known);
    /// `tracking` says a hand was followed into it. `behind` says the stream has fallen behind
    /// real time (live streams only): a still scene's glance then waits until it has caught up,
    /// since the cores are short and the streams with visitors need them more.
    public mutating func decide(_ thumbnail: SceneThumbnail?, at time: Double, tracking: Bool,
                                behind: Bool = false) -> Decision {
        defer { previous = thumbnail }
        if changed(thumbnail) { lastChange = time }
        guard !tracking, let thumbnail, !thumbnail.means.isEmpty, let searched, time >= searched.time else {
            self.searched = (thumbnail, time)
            return .search
        }
        let sinceSearch = time - searched.time
        let changing = lastChange.map { time - $0 < configuration.settle } ?? false
        // Media times are rounded from the container's ticks: a frame due at 0.1 s may say 0.0999.
        let due = changing ? configuration.searchInterval : configuration.heartbeat
        guard sinceSearch >= due - 0.001, changing || !behind else { return .skip }
        self.searched = (thumbnail, time)
        return changing ? .search : .glance
    }

    /// Whether the scene changed since the picture before or the last one searched. A stream's
    /// first picture is searched for having none before it, but is no change: sixteen kiosks
    /// connecting at once to a quiet venue do not each pay for a second of searches.
    private func changed(_ thumbnail: SceneThumbnail?) -> Bool {
        guard let thumbnail else { return true }
        let threshold = configuration.cellThreshold, cells = configuration.minChangedCells
        if let previous, thumbnail.changedCells(since: previous, threshold: threshold) >= cells { return true }
        if let earlier = searched?.thumbnail, thumbnail.changedCells(since: earlier, threshold: threshold) >= cells {
            return true
        }
        return false
    }
}
