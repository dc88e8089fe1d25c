import HandEngine

/// Tallies how SnapRate's hands agree with MediaPipe's on a set of photos.
struct LandmarkAgreement {
    /// Photos where MediaPipe finds a hand, and how many of them SnapRate finds one on.
    var referencePhotos = 0
    var photosFound = 0
    /// Photos where MediaPipe finds nothing but SnapRate finds a hand.
    var extraPhotos: [String] = []
    /// Photos where MediaPipe finds a hand and SnapRate none.
    var missedPhotos: [String] = []
    /// The photo with the largest hand error, for the log.
    var worst: (photo: String, error: Double)?
    /// Per matched hand: the mean landmark distance as a fraction of the image's larger side.
    var handErrors: [Double] = []
    var handednessAgreements = 0

    var detectionRate: Double { referencePhotos == 0 ? 1 : Double(photosFound) / Double(referencePhotos) }
    var meanError: Double { handErrors.isEmpty ? 0 : handErrors.reduce(0, +) / Double(handErrors.count) }

    mutating func add(photo: String, reference: MediaPipeReference.Photo, found: [Hand]) {
        guard !reference.hands.isEmpty else {
            if !found.isEmpty { extraPhotos.append(photo) }
            return
        }
        referencePhotos += 1
        if found.isEmpty { missedPhotos.append(photo) } else { photosFound += 1 }
        // Pair hands greedily by distance: the closest pair first.
        let side = Double(max(reference.width, reference.height))
        var pairs: [(reference: Int, found: Int, error: Double)] = []
        for (r, referenceHand) in reference.hands.enumerated() {
            for (f, hand) in found.enumerated() {
                pairs.append((r, f, Self.meanDistance(referenceHand, hand, reference) / side))
            }
        }
        pairs.sort { $0.error < $1.error }
        var usedReference = Set<Int>(), usedFound = Set<Int>()
        for pair in pairs where !usedReference.contains(pair.reference) && !usedFound.contains(pair.found) {
            usedReference.insert(pair.reference)
            usedFound.insert(pair.found)
            handErrors.append(pair.error)
            if pair.error > worst?.error ?? -1 { worst = (photo, pair.error) }
            if reference.hands[pair.reference].handedness == found[pair.found].handedness.rawValue {
                handednessAgreements += 1
            }
        }
    }

    /// Mean 2-D distance in pixels between corresponding landmarks.
    static func meanDistance(_ reference: MediaPipeReference.ReferenceHand, _ hand: Hand, _ photo: MediaPipeReference.Photo) -> Double {
        var total = 0.0
        for (expected, actual) in zip(reference.landmarks, hand.landmarks) {
            let dx = (expected[0] - Double(actual.x)) * Double(photo.width)
            let dy = (expected[1] - Double(actual.y)) * Double(photo.height)
            total += (dx * dx + dy * dy).squareRoot()
        }
        return total / Double(reference.landmarks.count)
    }
}
