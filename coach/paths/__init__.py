"""Learning paths under L&D review: generation, re-planning, edits, approval, and imports."""

from coach.paths.service import PathInputError, PathService
from coach.paths.world import NoCatalog, World

__all__ = ["NoCatalog", "PathInputError", "PathService", "World"]
