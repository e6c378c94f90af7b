"""Finds where a page sits on a template's reference image: ORB features and a RANSAC-fitted (affine)
homography; SIFT features for a closer look at a page ORB cannot place.

Features are computed on copies scaled to a common working width, so scans from 150 to 300 dpi match the
same reference; the homography is then lifted back to full-resolution pixels on both sides.
"""

import os
import threading
from dataclasses import dataclass
from functools import cache

# One thread for faiss's search, in every thread that calls it: omp_set_num_threads only binds the thread it
# runs in, and the engine reads on request threads. faiss's own libgomp reads this as it loads.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")
import cv2
import faiss
import numpy as np

WORK_WIDTH = 1200
FEATURES = 2500
MORE_FEATURES = 6000  # a second look, at a page no template matched with the first
COARSE_FEATURES = 500  # a template's strongest keypoints, for a cheap first pass that picks the template
PAGE_COARSE_FEATURES = 1200  # the page's, matched against them
COARSE_ROUNDS = 1000  # RANSAC rounds in the first pass; a count of matches needs no more
MIN_INLIERS = 20
MIN_COARSE_INLIERS = 6
RATIO = 0.75
# Guided matching: with the first pass's fit known, a page feature is only compared with the template's
# features in the tile where that fit puts it, or within this many working pixels of it. A photo's slant,
# which the first pass does not fit, moves features further than the radius now and then; the tiles' own
# size (a sixth of the page) leaves most of those a match.
GUIDE_TILES = 6
GUIDE_RADIUS = 48.0
# ORB's descriptors of small printed labels change with resampling: a dense form scanned 10% larger than its
# template kept 18 right matches in 319, and no template matched. SIFT's hold (137 inliers, the next form 42),
# at ten times ORB's cost, so it is only the last look.
SIFT_FEATURES = 3000
# SIFT's own working width: it doubles the image inside, and at 1,200 px one call held 455 MB more (at 800,
# 200 MB), with the same template ahead (a zoomed dense form: 80 matches against the next one's 34).
SIFT_WIDTH = 800
_sift_lock = threading.Lock()  # one SIFT at a time per process: its memory, not its speed, is the limit


@cache
def _detector(count: int = FEATURES):
    return cv2.ORB.create(nfeatures=count, scaleFactor=1.2, nlevels=8, fastThreshold=12)


@dataclass(frozen=True)
class Features:
    keypoints: np.ndarray  # (n, 2) float32, in working pixels
    descriptors: np.ndarray | None
    scale: float  # working pixels per full-resolution pixel
    size: tuple[int, int]  # full-resolution (width, height)
    coarse: np.ndarray  # indices of the keypoints, strongest first

    def subset(self, indices: np.ndarray) -> "Features":
        descriptors = self.descriptors[indices] if self.descriptors is not None else None
        return Features(self.keypoints[indices], descriptors, self.scale, self.size, np.arange(len(indices)))


@dataclass(frozen=True)
class Registration:
    page_to_reference: np.ndarray  # 3 × 3, full-resolution pixels
    inliers: int

    def to_page(self, points: np.ndarray) -> np.ndarray:
        """Reference pixels to page pixels (through the inverse transform)."""
        inverse = np.linalg.inv(self.page_to_reference)
        return cv2.perspectiveTransform(points.reshape(-1, 1, 2).astype(np.float64), inverse).reshape(-1, 2)


@cache
def _sift():
    return cv2.SIFT.create(nfeatures=SIFT_FEATURES)


def features(gray: np.ndarray, count: int = FEATURES, *, sift: bool = False) -> Features:
    """ORB keypoints of a page at working width. `count`: more for a second look at a page whose values
    crowd its printed labels out of the strongest 2,500. `sift`: SIFT's, for the last look."""
    height, width = gray.shape[:2]
    target = SIFT_WIDTH if sift else WORK_WIDTH
    scale = target / width
    # ORB's copy by linear interpolation, SIFT's by area: at ORB's working width (0.7 of an A4 page at 200 dpi)
    # linear takes 1.2 ms a page against area's 9.3, and fields came out even on four tuning and probe seeds
    # (+10 of 12,000, measured with SIFT's copy linear too); SIFT's copy is half the page or less, where linear
    # drops pixels, and a hand-lettered scan of the dense form that only the last look places (tuning seed 13,
    # page 142) was lost.
    interpolation = cv2.INTER_AREA if sift else cv2.INTER_LINEAR
    small = cv2.resize(gray, (target, max(1, round(height * scale))), interpolation=interpolation)
    if sift:
        with _sift_lock:
            keypoints, descriptors = _sift().detectAndCompute(small, None)
    else:
        keypoints, descriptors = _detector(count).detectAndCompute(small, None)
    # In C++: a Python loop over 2,500 keypoints took 1 ms. A blank page has none, and comes back as ().
    points = np.asarray(cv2.KeyPoint.convert(keypoints), np.float32).reshape(-1, 2)
    strongest = np.argsort([-keypoint.response for keypoint in keypoints])
    return Features(keypoints=points, descriptors=descriptors, scale=scale, size=(width, height), coarse=strongest)


def first_pass(reference: Features, page: Features) -> Registration | None:
    """How well a template fits a page, from the template's strongest features only: the first pass of
    classification, its inliers a score. Matched against all of the page's features, as a filled page's
    strongest ones may all lie in its handwriting."""
    # The template's features are the ones matched (the query side), so the fit found maps the template
    # onto the page: it is turned round.
    found = register(
        reference.subset(reference.coarse[:COARSE_FEATURES]), page.subset(page.coarse[:PAGE_COARSE_FEATURES]),
        minimum=MIN_COARSE_INLIERS, coarse=True,
    )  # fmt: skip
    if found is None:
        return None
    inverse = np.linalg.inv(found.page_to_reference)
    return Registration(inverse / inverse[2, 2], found.inliers)


def register(
    page: Features,
    reference: Features,
    *,
    minimum: int = MIN_INLIERS,
    coarse: bool = False,
    guide: Registration | None = None,
) -> Registration | None:
    """Where the page sits on the reference. `coarse`: a count of matching features is all that is wanted
    (classification's first pass), so RANSAC stops early and no slant is fitted: on a template the page is
    not, RANSAC would otherwise run to its full 4,000 rounds. `guide`: the first pass's fit, which limits
    each page feature's comparisons to the template's features near where it puts it."""
    found = fits(page, reference, minimum=minimum, coarse=coarse, guide=guide)
    return found[0] if found else None


def fits(
    page: Features,
    reference: Features,
    *,
    minimum: int = MIN_INLIERS,
    coarse: bool = False,
    guide: Registration | None = None,
) -> list[Registration]:
    """Every plausible fit of the page onto the reference, the affine one and those with a slant (_candidates),
    most matches first (register's answer is the first); the same fit is not given twice."""
    if page.descriptors is None or reference.descriptors is None or len(page.keypoints) < 8:
        return []
    if guide is None:
        good = _matches(page.descriptors, reference.descriptors)
    else:
        good = _guided_matches(page, reference, guide)
    if len(good) < minimum:
        return []
    source = page.keypoints[[query for query, _ in good]]
    target = reference.keypoints[[train for _, train in good]]
    # A scan is the page rotated, scaled (x and y apart, as fax resolutions are) and shifted: an affine
    # homography, found first; a photo's slant is added to it after (see _candidates).
    affine, mask = cv2.estimateAffine2D(
        source, target, method=cv2.RANSAC, ransacReprojThreshold=3.0, maxIters=COARSE_ROUNDS if coarse else 4000,
        confidence=0.995, refineIters=20,
    )  # fmt: skip
    if affine is None:
        return []
    homography = np.vstack([affine, [0.0, 0.0, 1.0]])
    inliers = int(mask.sum())
    if inliers < minimum:
        return []
    # Working pixels on both sides back to full resolution: H_full = S_ref^-1 · H_work · S_page.
    page_scale = np.diag([page.scale, page.scale, 1.0])
    reference_unscale = np.diag([1 / reference.scale, 1 / reference.scale, 1.0])
    if coarse:  # a count is all that is wanted, of a fit that is a page at all
        full = reference_unscale @ homography @ page_scale
        return [Registration(full, inliers)] if plausible(full, page.size, reference.size) else []
    found: list[Registration] = []
    # Most matches first, before duplicates go, so a duplicate dropped never had more (stable: of equal
    # counts, the affine fit stays first).
    for candidate, count in sorted(_candidates(source, target, homography, inliers), key=lambda item: -item[1]):
        full = reference_unscale @ candidate @ page_scale
        full = full / full[2, 2]
        known = any(same_fit(full, fit.page_to_reference, page.size) for fit in found)
        if not known and plausible(full, page.size, reference.size):
            found.append(Registration(page_to_reference=full, inliers=count))
    return found


def same_fit(first: np.ndarray, second: np.ndarray, size: tuple[int, int]) -> bool:
    """Two fits (page to reference) that put the corners of a page of `size` within a reference pixel of each
    other: no field could be cut differently."""
    width, height = size
    corners = np.array([[0.0, 0.0], [width, 0.0], [width, height], [0.0, height]]).reshape(-1, 1, 2)
    return bool(
        np.abs(cv2.perspectiveTransform(corners, first) - cv2.perspectiveTransform(corners, second)).max() < 1.0
    )


def _matches(page: np.ndarray, reference: np.ndarray) -> list[tuple[int, int]]:
    """(page feature, reference feature) pairs of descriptor rows: each page feature's nearest reference
    feature, kept when clearly nearer than the next (Lowe's ratio test). ORB's binary descriptors by Hamming
    distance, through faiss's exhaustive search (the same neighbours as OpenCV's brute-force matcher, at a
    third of its time: this is most of the time classification takes); SIFT's by Euclidean."""
    if page.dtype == np.float32:
        pairs = cv2.BFMatcher(cv2.NORM_L2).knnMatch(page, reference, k=2)
        return [
            (pair[0].queryIdx, pair[0].trainIdx)
            for pair in pairs
            if len(pair) == 2 and pair[0].distance < RATIO * pair[1].distance
        ]
    index = faiss.IndexBinaryFlat(reference.shape[1] * 8)
    index.add(np.ascontiguousarray(reference))
    distances, nearest = index.search(np.ascontiguousarray(page), 2)
    # A nearest neighbour clearly nearer than the next is unique, so ties among equals cannot change a match.
    kept = np.flatnonzero((nearest[:, 1] >= 0) & (distances[:, 0] < RATIO * distances[:, 1]))
    return list(zip(kept.tolist(), nearest[kept, 0].tolist(), strict=True))


def _guided_matches(page: Features, reference: Features, guide: Registration) -> list[tuple[int, int]]:
    """As _matches, but region by region: the reference is cut into GUIDE_TILES × GUIDE_TILES tiles, and the
    page features `guide` puts in a tile are compared only with the reference features of that tile and
    GUIDE_RADIUS around it. A tenth of the comparisons, and fewer look-alikes to fail the ratio test against
    (the boxes of one form repeat down the page)."""
    descriptors, others = page.descriptors, reference.descriptors
    if descriptors is None or others is None:
        return []
    to_reference = np.diag([reference.scale, reference.scale, 1.0]) @ guide.page_to_reference
    to_reference = to_reference @ np.diag([1 / page.scale, 1 / page.scale, 1.0])
    mapped = cv2.perspectiveTransform(page.keypoints.reshape(-1, 1, 2).astype(np.float64), to_reference)
    mapped = mapped.reshape(-1, 2)
    width, height = reference.size[0] * reference.scale, reference.size[1] * reference.scale
    tile = np.array([width, height]) / GUIDE_TILES
    inside = np.all((mapped > -GUIDE_RADIUS) & (mapped < np.array([width, height]) + GUIDE_RADIUS), axis=1)
    cells = np.clip((mapped // tile).astype(np.int64), 0, GUIDE_TILES - 1)
    points = reference.keypoints
    good = []
    for column in range(GUIDE_TILES):
        for row in range(GUIDE_TILES):
            queries = np.flatnonzero(inside & (cells[:, 0] == column) & (cells[:, 1] == row))
            low = tile * (column, row) - GUIDE_RADIUS
            high = tile * (column + 1, row + 1) + GUIDE_RADIUS
            trains = np.flatnonzero(np.all((points >= low) & (points < high), axis=1))
            if len(queries) == 0 or len(trains) < 2:
                continue
            good += [
                (int(queries[query]), int(trains[train]))
                for query, train in _matches(descriptors[queries], others[trains])
            ]
    return good


def _candidates(source: np.ndarray, target: np.ndarray, affine: np.ndarray, inliers: int):
    """The affine map, then projective ones for a photographed page's slant, which no affine map follows.

    RANSAC over a projective map alone bends a page around repeated form boxes, so two more are tried: one
    grown from the affine map (a least-squares fit to the matches near where the current map puts them,
    with the radius shrinking each round; two starts, two schedules), and MAGSAC's. Each must earn its place
    over the affine map by clearly more matches within 3 px: a few more come from bending a scan whose
    matches all lie in one band of the page (a form filled at the top only). On photographed forms of the
    tuning part this took the worst field corner from 34 to 6 px (p90)."""
    yield affine, inliers
    needed = inliers + max(5.0, inliers * 0.05)
    starts = [affine]
    loose, _ = cv2.estimateAffine2D(
        source, target, method=cv2.RANSAC, ransacReprojThreshold=12.0, maxIters=2000, confidence=0.995
    )
    if loose is not None:
        starts.append(np.vstack([loose, [0.0, 0.0, 1.0]]))
    for start in starts:
        for schedule in ((25.0, 10.0, 5.0, 3.0), (80.0, 40.0, 20.0, 10.0, 5.0, 3.0)):
            homography, count = _grown(source, target, start, schedule)
            if homography is not None and count >= needed:
                yield homography, count
    magsac, _ = cv2.findHomography(source, target, cv2.USAC_MAGSAC, 3.0, maxIters=5000, confidence=0.999)
    if magsac is not None:
        count = _within(source, target, magsac, 3.0)
        if count >= needed:
            yield magsac, count


def _within(source: np.ndarray, target: np.ndarray, homography: np.ndarray, radius: float) -> int:
    mapped = cv2.perspectiveTransform(source.reshape(-1, 1, 2).astype(np.float64), homography).reshape(-1, 2)
    return int((np.linalg.norm(mapped - target, axis=1) < radius).sum())


def _grown(source: np.ndarray, target: np.ndarray, start: np.ndarray, schedule) -> tuple[np.ndarray | None, int]:
    homography = start
    points = source.reshape(-1, 1, 2).astype(np.float64)
    for radius in schedule:
        near = np.linalg.norm(cv2.perspectiveTransform(points, homography).reshape(-1, 2) - target, axis=1) < radius
        if near.sum() < 12:
            return None, 0
        fitted, _ = cv2.findHomography(source[near], target[near], 0)
        if fitted is None:
            return None, 0
        homography = fitted
    return homography, _within(source, target, homography, 3.0)


def plausible(homography: np.ndarray, page_size: tuple[int, int], reference_size: tuple[int, int]) -> bool:
    """A scan is rotated, shifted and scaled, never folded: the page must land as a convex, sane quad."""
    width, height = page_size
    corners = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float64)
    mapped = cv2.perspectiveTransform(corners.reshape(-1, 1, 2), homography).reshape(-1, 2)
    if not cv2.isContourConvex(mapped.astype(np.float32)):
        return False
    area = cv2.contourArea(mapped.astype(np.float32))
    reference_area = reference_size[0] * reference_size[1]
    return 0.3 * reference_area < area < 3.0 * reference_area


def warp(gray: np.ndarray, registration: Registration, reference_size: tuple[int, int]) -> np.ndarray:
    return cv2.warpPerspective(
        gray,
        registration.page_to_reference,
        reference_size,
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=255,
    )
