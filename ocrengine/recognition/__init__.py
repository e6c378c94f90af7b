"""The engine's reading steps. Importing any of them puts OpenCV on one thread for the whole process."""

import cv2

# OpenCV's pool would take every core for a warp or a resize; a process per core is the unit (warm.py), as for
# the recognizers. One page read alone was no slower on one thread (`make bench`'s speed lines, 2 cores).
cv2.setNumThreads(1)
