"""Users' own templates (house style): reading, linting, rendering under limits, checking the output.

- :mod:`.files` reads a template and refuses oversized or malformed files;
- :mod:`.lint` checks it without rendering (``contractgen lint``);
- :mod:`.environment` is the sandbox and what the template sees;
- :mod:`.limits` bounds time, memory and output size;
- :mod:`.render` renders and checks the required sections on the output.
"""

from contractgen.user_templates.files import TemplateFileError, TemplateSource, read_template, template_from_bytes
from contractgen.user_templates.limits import LimitError, Limits
from contractgen.user_templates.lint import TemplateLintError, lint, lint_problems

__all__ = [
    "LimitError",
    "Limits",
    "TemplateFileError",
    "TemplateLintError",
    "TemplateSource",
    "lint",
    "lint_problems",
    "read_template",
    "template_from_bytes",
]
