"""Evidence intake: what a file is, from its bytes (not its name), and its fingerprints."""

from helper.evidence.detect import DetectedType, detect_type

__all__ = ["DetectedType", "detect_type"]
