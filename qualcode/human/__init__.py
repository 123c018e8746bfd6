"""People's codes: read them (CSV, REFI-QDA projects from other tools), keep them in a
project, and measure agreement between coders, people and qualcode alike.

- :mod:`.codes`: a coder's CSV, matched to segments by id or by excerpt.
- :mod:`.compare`: codes from several files placed on the same segments, and agreement.
- :mod:`.project`: codes stored in a project, and read back as training data.
- :mod:`.agreement`: Cohen's kappa, Krippendorff's alpha and percent agreement.
"""

from qualcode.human.codes import HUMAN, read_human_codes
from qualcode.human.compare import Comparison, HumanCodings, compare_coders, read_codings
from qualcode.human.project import import_human_codes, project_agreement, training_from_project

__all__ = ["Comparison", "HUMAN", "HumanCodings", "compare_coders", "import_human_codes",
           "project_agreement", "read_codings", "read_human_codes", "training_from_project"]
