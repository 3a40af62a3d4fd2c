"""The IAM layer: what each function's execution role allows, resolved as far as the input
allows (``effective.py``), policy documents in any shape read into statements
(``documents.py``), AWS managed policy documents (``managed.py``) and the IAM action
database (``actions.py``, loaded only when a rule needs access levels)."""
