"""POST data for admin change forms."""


def inline_management(*prefixes):
    return {
        f"{prefix}-{key}": value
        for prefix in prefixes
        for key, value in {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0, "MAX_NUM_FORMS": 1000}.items()
    }


def claim_form(claim, **overrides):
    data = {
        "article": claim.article_id,
        "text": claim.text,
        "quote": claim.quote,
        "start": claim.start,
        "end": claim.end,
        "attributed_to": "",
        "status": claim.status,
        "dismissed_reason": "",
        "assignee": "",
        "checkworthiness": "",
        "created_by": "",
        "change_reason": "",
        **inline_management("evidence", "verdicts"),
    }
    data.update(overrides)
    return data
