import Foundation
import Rating

/// A rating one stream detected, as it travels through the ring to the store writer.
///
/// Words: kiosk (8), session (2), rating and confidence (1), media time (1), wall time (1),
/// latency (1), model (2).
public struct DetectedRating: RingCodable, Equatable {
    public static let modelLength = 16
    public static let wordCount = KioskID.wordCount + 2 + 1 + 3 + modelLength / 8

    public var kiosk: KioskID
    public var session: UUID
    public var rating: Rating
    public var confidence: Float
    /// Seconds on the stream's own clock.
    public var mediaTime: Double
    public var wallTime: Date
    /// From the frame that completed the hold being handed to the pipeline to the event, in ms.
    public var latencyMilliseconds: Double
    /// Model variant, at most 16 ASCII bytes (`lite`, `full`).
    public var model: String

    public init(kiosk: KioskID, session: UUID, rating: Rating, confidence: Float, mediaTime: Double, wallTime: Date,
                latencyMilliseconds: Double, model: String) {
        self.kiosk = kiosk
        self.session = session
        self.rating = rating
        self.confidence = confidence
        self.mediaTime = mediaTime
        self.wallTime = wallTime
        self.latencyMilliseconds = latencyMilliseconds
        self.model = String(model.utf8.prefix(Self.modelLength).map { Character(UnicodeScalar($0)) })
    }

    public func encode(into words: UnsafeMutableBufferPointer<UInt64>) {
        var index = 0
        kiosk.encode(into: words, at: index)
        index += KioskID.wordCount
        RingUUID.encode(session, into: words, at: index)
        index += 2
        words[index] = (rating == .up ? 1 : 0) | UInt64(confidence.bitPattern) << 32
        words[index + 1] = mediaTime.bitPattern
        words[index + 2] = wallTime.timeIntervalSince1970.bitPattern
        words[index + 3] = latencyMilliseconds.bitPattern
        index += 4
        PackedASCII.encode(model, into: words, at: index, count: Self.modelLength / 8)
    }

    public init(words: UnsafeBufferPointer<UInt64>) {
        var index = 0
        kiosk = KioskID(words: words, at: index)
        index += KioskID.wordCount
        session = RingUUID.decode(words, at: index)
        index += 2
        rating = words[index] & 1 == 1 ? .up : .down
        confidence = Float(bitPattern: UInt32(truncatingIfNeeded: words[index] >> 32))
        mediaTime = Double(bitPattern: words[index + 1])
        wallTime = Date(timeIntervalSince1970: Double(bitPattern: words[index + 2]))
        latencyMilliseconds = Double(bitPattern: words[index + 3])
        index += 4
        model = PackedASCII.decode(words, at: index, count: Self.modelLength / 8)
    }
}

/// A rating the store has kept, with its store sequence number: what the push hub sends.
public struct StoredRating: RingCodable, Equatable {
    public static let wordCount = DetectedRating.wordCount + 1

    public var sequence: Int64
    public var rating: DetectedRating

    public init(sequence: Int64, rating: DetectedRating) {
        self.sequence = sequence
        self.rating = rating
    }

    public func encode(into words: UnsafeMutableBufferPointer<UInt64>) {
        words[0] = UInt64(bitPattern: sequence)
        rating.encode(into: UnsafeMutableBufferPointer(rebasing: words[1...]))
    }

    public init(words: UnsafeBufferPointer<UInt64>) {
        sequence = Int64(bitPattern: words[0])
        rating = DetectedRating(words: UnsafeBufferPointer(rebasing: words[1...]))
    }
}

enum RingUUID {
    static func encode(_ id: UUID, into words: UnsafeMutableBufferPointer<UInt64>, at index: Int) {
        withUnsafeBytes(of: id.uuid) { bytes in
            words[index] = bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
            words[index + 1] = bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        }
    }

    static func decode(_ words: UnsafeBufferPointer<UInt64>, at index: Int) -> UUID {
        var uuid = UUID().uuid
        withUnsafeMutableBytes(of: &uuid) { bytes in
            bytes.storeBytes(of: words[index], toByteOffset: 0, as: UInt64.self)
            bytes.storeBytes(of: words[index + 1], toByteOffset: 8, as: UInt64.self)
        }
        return UUID(uuid: uuid)
    }
}
