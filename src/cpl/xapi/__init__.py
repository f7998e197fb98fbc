"""Learning from employers' systems: an xAPI Learning Record Store that turns statements (and CSV
uploads) into entries suggested to consenting workers, and a worker's entries as xAPI statements."""

from cpl.xapi.lrs_routes import LrsAboutController, LrsStatementController
from cpl.xapi.routes import (
    LrsCredentialController,
    MyXapiController,
    SuggestionConsentController,
    SuggestionController,
    TrainingRecordController,
)
from cpl.xapi.suggestions import accept_on_entries_created, consents_data, erase_suggestions, suggestions_data

__all__ = [
    "LrsCredentialController",
    "LrsAboutController",
    "LrsStatementController",
    "MyXapiController",
    "SuggestionConsentController",
    "SuggestionController",
    "TrainingRecordController",
    "accept_on_entries_created",
    "consents_data",
    "erase_suggestions",
    "suggestions_data",
]
