"""The default rating scale and the reviewer/editor roles.

Used by a data migration (with the migration's historical apps) and by tests
that need them back after a transactional test flushed the tables.
"""

from django.contrib.auth.management import create_permissions

RATINGS = [
    # label, ClaimReview ratingValue, description
    ("True", 5, "Accurate, nothing significant missing."),
    ("Mostly true", 4, "Accurate but needs clarification or additional information."),
    (
        "Mixed",
        3,
        "Partially accurate; leaves out important details or takes things out of context.",
    ),
    ("Mostly false", 2, "Contains an element of truth but ignores critical facts."),
    ("False", 1, "Not accurate."),
    ("Unverifiable", None, "Cannot be proven or disproven with the available evidence."),
]

REVIEWER_PERMS = {
    "claims": {
        "article": ["view", "add", "change"],
        "claim": ["view", "add", "change"],
        "evidence": ["view", "add", "change", "delete"],
        "verdict": ["view", "add"],
        "rating": ["view"],
        "claimset": ["view"],
    },
    "sources": {"source": ["view", "add"], "capture": ["view", "add"]},
}
EDITOR_EXTRA = {
    "claims": {"verdict": ["change"], "claimset": ["add", "change", "delete"]},
}
EDITOR_CUSTOM = [("claims", "approve_verdict")]
# Consumers download verified claim sets (files or the token API) and see nothing else.
CONSUMER_PERMS = {"claims": {"claimset": ["view"]}}


def _perms(apps, spec):
    Permission = apps.get_model("auth", "Permission")
    found = []
    for app_label, models in spec.items():
        for model, actions in models.items():
            for action in actions:
                found.append(
                    Permission.objects.get(
                        content_type__app_label=app_label, codename=f"{action}_{model}"
                    )
                )
    return found


def ensure_defaults(apps):
    # Permissions are normally created after all migrations; create them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Rating = apps.get_model("claims", "Rating")
    for position, (label, value, description) in enumerate(RATINGS):
        Rating.objects.get_or_create(
            label=label, defaults={"value": value, "description": description, "position": position}
        )

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    reviewer_perms = _perms(apps, REVIEWER_PERMS)
    reviewer, _ = Group.objects.get_or_create(name="reviewer")
    reviewer.permissions.add(*reviewer_perms)
    editor, _ = Group.objects.get_or_create(name="editor")
    editor.permissions.add(*reviewer_perms, *_perms(apps, EDITOR_EXTRA))
    for app_label, codename in EDITOR_CUSTOM:
        editor.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    consumer, _ = Group.objects.get_or_create(name="consumer")
    consumer.permissions.add(*_perms(apps, CONSUMER_PERMS))
