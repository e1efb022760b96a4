"""Answers to the officers' questions, built on the named queries: policies, governance, stakeholders,
health and procurement. Presentation (web/, cli/, visualisations/) imports these, never the other way."""
