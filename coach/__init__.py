"""blendcoach service: settings, storage, API, CLI and the coach itself."""

__version__ = "0.1.0"
