"""Suggestions for the operator to confirm: the service a resident's first messages ask for,
and the requirement each file they send answers. Pure functions, no database; the keyword
table is `keywords.py`.

    suggest_service("mau buat akte lahir anak", catalog)  -> ServiceSuggestion("akta_kelahiran", …)
    suggest_requirement("ktp ibu.jpg", "", "", catalog.get("kia"))  -> RequirementSuggestion("ktp_ibu", …)
"""

from dikjamila.intake.suggest.requirement import (
           RequirementSuggestion,
           suggest_requirement,
)
from dikjamila.intake.suggest.service import (
           ServiceSuggestion,
           rank_services,
           suggest_service,
)

__all__ = ["RequirementSuggestion", "ServiceSuggestion", "rank_services", "suggest_requirement",
           "suggest_service"]
