"""PP-OCRv6 text-line recognition (rapidocr's small model on onnxruntime, shipped inside the wheel).

Only the recognizer is used for fields: the engine already knows where each field is. The CTC output is
decoded here rather than by rapidocr, for three things rapidocr does not give: a character set per field
(a NUMERIC field can only read digits), each character's own probability (the weakest one tells a misread),
and each character's position on the line (to put spaces where the ink has gaps and to fuse readings).
PP-OCRv6 reads Chinese, Japanese and Latin script; it has no Hangul.
"""

import threading
from dataclasses import dataclass, field, replace
from functools import cache

import cv2
import numpy as np

HEIGHT = 48  # the recognizer's input height
STRIDE = 8  # input pixels per CTC time step
BATCH = 8


@dataclass(frozen=True)
class Char:
    text: str
    probability: float  # of this character, among the allowed ones and "no character"
    left: float  # x range on the line image given, in its pixels
    right: float
    outside: float = 0.0  # the most the model believed, near this character, in one the field may not hold
    space_after: bool = False  # the model put a space after it


def _batches(order: list[int], ratios: list[float]) -> list[list[int]]:
    """Lines of similar length together: a batch is padded to its longest line, so a short field batched
    with a long address would cost as much as the address."""
    batches: list[list[int]] = []
    first = 0.0
    for index, ratio in zip(order, ratios, strict=True):
        if batches and len(batches[-1]) < BATCH and ratio <= first * 1.3:
            batches[-1].append(index)
        else:
            batches.append([index])
            first = ratio
    return batches


@dataclass
class Line:
    text: str
    chars: list[Char] = field(default_factory=list)
    outside: float = 0.0  # the largest probability the model gave to a character the field may not hold

    @property
    def weakest(self) -> float:
        return min((char.probability for char in self.chars), default=1.0)


class Recognizer:
    """One warm session per process, one thread: the engine runs many processes, not many threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._session = None
        self._characters: list[str] = []
        self._index: dict[str, int] = {}

    def _load(self):
        if self._session is None:
            with self._lock:
                if self._session is None:
                    from rapidocr import RapidOCR

                    engine = RapidOCR(
                        params={
                            "Global.use_det": False,
                            "Global.use_cls": False,
                            "Global.log_level": "error",
                            "EngineConfig.onnxruntime.intra_op_num_threads": 1,
                            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
                            # No memory arena (rapidocr's default, kept on purpose): it saves 3% of the time,
                            # but keeps the buffers of the widest batch read for good, 0.8 GB more per
                            # process after full-width Text OCR lines.
                        }
                    )
                    recognizer = engine._load_rec_model()
                    self._characters = list(recognizer.postprocess_op.character)
                    self._index = {char: index for index, char in enumerate(self._characters)}
                    self._session = recognizer.session
        return self._session

    @property
    def characters(self) -> list[str]:
        self._load()
        return self._characters

    def warm(self) -> None:
        self.read([np.full((HEIGHT, HEIGHT * 2), 255, np.uint8)])

    def allowed(self, characters: str) -> np.ndarray:
        """Column indices of the model's output the given characters (and "no character") may use."""
        self._load()
        return np.array([0, *sorted({self._index[c] for c in characters if c in self._index})], dtype=np.int64)

    def allowed_where(self, keep) -> np.ndarray:
        """Column indices of the characters `keep(char)` accepts (and "no character")."""
        self._load()
        return np.array([0] + [i for i, char in enumerate(self._characters) if i and keep(char)], dtype=np.int64)

    def read(
        self, images: list[np.ndarray], allowed: np.ndarray | None = None, prior: np.ndarray | None = None
    ) -> list[Line]:
        """Each image a single line of dark text on a light background (grey, any size). `prior` weighs the
        allowed characters (aligned with `allowed`) before each step's choice: how likely each is to be written."""
        session = self._load()
        lines: list[Line] = [Line("")] * len(images)
        order = sorted(range(len(images)), key=lambda i: images[i].shape[1] / max(1, images[i].shape[0]))
        for chunk in _batches(order, [images[i].shape[1] / max(1, images[i].shape[0]) for i in order]):
            widths = [max(HEIGHT, int(np.ceil(HEIGHT * img.shape[1] / max(1, img.shape[0])))) for img in
                      (images[i] for i in chunk)]  # fmt: skip
            batch_width = max(widths)
            batch = np.zeros((len(chunk), 3, HEIGHT, batch_width), np.float32)
            for row, (index, width) in enumerate(zip(chunk, widths, strict=True)):
                resized = cv2.resize(images[index], (width, HEIGHT), interpolation=cv2.INTER_AREA)
                batch[row, :, :, :width] = (resized.astype(np.float32) / 255 - 0.5) / 0.5
            with self._lock:  # onnxruntime sessions are thread-safe, but one thread each is the budget
                probabilities = session(batch)
            for row, (index, width) in enumerate(zip(chunk, widths, strict=True)):
                scale = images[index].shape[1] / width
                lines[index] = self._decode(probabilities[row], allowed, scale, width, prior)
        return lines

    def _decode(
        self,
        probabilities: np.ndarray,
        allowed: np.ndarray | None,
        scale: float,
        width: int,
        prior: np.ndarray | None = None,
    ) -> Line:
        steps = min(len(probabilities), int(np.ceil(width / STRIDE)) + 1)
        probabilities = probabilities[:steps]
        if allowed is not None:
            kept = probabilities[:, allowed]
            mass = kept.sum(axis=1)
            if prior is not None:  # weighed, and scaled back to the allowed characters' own mass
                weighed = kept * prior
                kept = weighed * (mass / np.maximum(weighed.sum(axis=1), 1e-9))[:, None]
            choice = kept.argmax(axis=1)
            best = allowed[choice]
            step_probability = kept[np.arange(steps), choice] / np.maximum(mass, 1e-9)
            outside_steps = 1.0 - mass  # what the model believed in characters the field may not hold
        else:
            best = probabilities.argmax(axis=1)
            step_probability = probabilities[np.arange(steps), best]
            outside_steps = np.zeros(steps, np.float32)
        spans: list[list[int]] = []  # character index, first step, last step
        previous = 0
        for step, index in enumerate(best.tolist()):
            if index != 0 and index != previous:
                spans.append([index, step, step])
            elif index != 0 and spans:  # the same character held over more steps
                spans[-1][2] = step
            previous = index
        chars: list[Char] = []
        for index, first, last in spans:
            if self._characters[index] == " ":
                if chars:
                    chars[-1] = replace(chars[-1], space_after=True)
                continue
            chars.append(
                Char(
                    text=self._characters[index],
                    probability=float(step_probability[first : last + 1].max()),
                    left=first * STRIDE * scale,
                    right=(last + 1) * STRIDE * scale,
                    outside=float(outside_steps[max(0, first - 1) : last + 2].max()),
                )
            )
        outside = float(outside_steps.max()) if steps else 0.0
        return Line(text="".join(char.text for char in chars), chars=chars, outside=outside)


@cache
def recognizer() -> Recognizer:
    return Recognizer()


class Detector:
    """PP-OCRv6's text-line detector, for Text OCR pages: where the lines are, whatever their script (it
    finds Hangul lines as well as Japanese and Latin ones). The page is shrunk to 960 px on its long side,
    which found every line of the generated text pages in a third of the time of full size."""

    LONG_SIDE = 960

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._detector = None

    def _load(self):
        if self._detector is None:
            with self._lock:
                if self._detector is None:
                    from rapidocr import RapidOCR

                    engine = RapidOCR(
                        params={
                            "Global.use_cls": False,
                            "Global.use_rec": False,
                            "Global.log_level": "error",
                            "Det.limit_side_len": self.LONG_SIDE,
                            "Det.limit_type": "max",
                            "EngineConfig.onnxruntime.intra_op_num_threads": 1,
                            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
                        }
                    )
                    self._detector = engine._load_det_model()
        return self._detector

    def warm(self) -> None:
        self.quads(np.full((64, 64), 255, np.uint8))

    def quads(self, gray: np.ndarray) -> list[np.ndarray]:
        """Each line of text as its four corners (4 × 2), top to bottom and left to right."""
        detector = self._load()
        with self._lock:
            found = detector(cv2.cvtColor(gray, cv2.COLOR_GRAY2RGB))
        return [] if found.boxes is None else list(found.boxes)

    def lines(self, gray: np.ndarray) -> list[tuple[int, int, int, int]]:
        """Each line of text as (left, top, right, bottom), top to bottom and left to right."""
        height, width = gray.shape
        boxes = []
        for quad in self.quads(gray):
            xs, ys = quad[:, 0], quad[:, 1]
            boxes.append((max(0, int(xs.min())), max(0, int(ys.min())), min(width, int(np.ceil(xs.max()))),
                          min(height, int(np.ceil(ys.max())))))  # fmt: skip
        return boxes


@cache
def detector() -> Detector:
    return Detector()
