"""Import old comment threads (WordPress WXR, Disqus XML) into the interaction store.

``run_import`` is the one entry point; ``add_parser`` adds
``import wordpress|disqus EXPORT.xml`` to an argparse command.
"""

from ..errors import ExportFileError
from .cli import add_parser
from .run import ImportSummary, run_import

__all__ = ["ExportFileError", "ImportSummary", "add_parser", "run_import"]
