"""The admin obeys the workflow: no field path changes workflow state.

As a staff reviewer and as a staff editor, every change form of every registered model
(and every inline on it) is posted back with the values it shows, plus every workflow
field set to a bypass (a claim `verified`, a verdict `approved` naming another editor,
rewritten evidence on a verified claim). Workflow state must be exactly as before, while
the forms themselves still save (so the walk is not vacuous).
"""

import pytest
from django.contrib import admin
from django.forms import MultiWidget
from django.urls import NoReverseMatch, reverse

from claims.models import Claim, Evidence, Verdict

from .support.factories import make_article, make_claim, make_evidence, make_source, make_verdict
from .support.personas import PASSWORD, make_user

pytestmark = pytest.mark.django_db

QUOTES = [
    "In 2009, Moscow and Minsk signed an air defense agreement.",
    "In 2022, several thousand soldiers were deployed in Belarus.",
]


@pytest.fixture
def world(reviewer, editor, second_editor):
    """Claims in each state, with evidence and verdicts, on one article."""
    article = make_article()
    claims = {}
    for status in ("unreviewed", "awaiting_approval", "verified", "dismissed"):
        quote = QUOTES[len(claims) % 2]
        claims[status] = make_claim(
            article=article,
            quote=quote,
            status=status,
            dismissed_reason="Opinion" if status == "dismissed" else "",
        )
        make_evidence(claims[status], make_source(url=f"https://example.org/{status}"))
    make_verdict(claims["awaiting_approval"], reviewer)  # proposed
    make_verdict(claims["verified"], reviewer, state="approved", approver=editor)
    return claims


def workflow_state():
    claims = list(
        Claim.objects.order_by("pk").values_list(
            "pk", "status", "dismissed_reason", "needs_attention", "attention_reason"
        )
    )
    verdicts = list(
        Verdict.objects.order_by("pk").values_list(
            "pk", "claim", "state", "approver", "decided_at", "author", "rating", "rationale"
        )
    )
    closed_evidence = list(
        Evidence.objects.filter(claim__status__in=["verified", "dismissed"])
        .order_by("pk")
        .values_list("pk", "claim", "source", "stance", "passage", "note", "capture")
    )
    return claims, verdicts, closed_evidence


def shown_values(form, data):
    for bound in form:
        if bound.field.disabled or bound.field.widget.__class__.__name__ == "ClearableFileInput":
            continue
        value = bound.value()
        if isinstance(bound.field.widget, MultiWidget):
            parts = bound.field.widget.decompress(value)
            for i, part in enumerate(parts):
                data[f"{bound.html_name}_{i}"] = "" if part is None else str(part)
        elif isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(v) for v in value]
        else:
            data[bound.html_name] = "" if value is None else str(value)


def bypass(prefix, other_editor):
    return {
        f"{prefix}status": "verified",
        f"{prefix}dismissed_reason": "",
        f"{prefix}needs_attention": "",
        f"{prefix}state": "approved",
        f"{prefix}approver": str(other_editor.pk),
        f"{prefix}decided_at_0": "2026-01-01",
        f"{prefix}decided_at_1": "12:00:00",
        f"{prefix}decided_at": "2026-01-01 12:00:00",
        f"{prefix}stance": "supports",
        f"{prefix}passage": "A passage the source never had.",
        f"{prefix}note": "Rewritten after the fact.",
        f"{prefix}rationale": "Rewritten.",
    }


def post_back(context, other_editor):
    data = {}
    shown_values(context["adminform"].form, data)
    data.update(bypass("", other_editor))
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        for bound in formset.management_form:
            data[bound.html_name] = str(bound.value())
        for form in formset.forms:
            shown_values(form, data)
            data.update(bypass(f"{form.prefix}-", other_editor))
    data["change_reason"] = "walk"
    return data


@pytest.mark.parametrize("role", ["reviewer", "editor"])
def test_no_admin_change_form_or_inline_changes_workflow_state(role, world, client, second_editor):
    user = make_user(f"staff-{role}", role, is_staff=True)
    client.login(username=user.username, password=PASSWORD)
    if role == "editor":  # an editor's own proposal, for the approve-your-own path
        make_verdict(
            make_claim(article=world["unreviewed"].article, quote=QUOTES[1], status="in_review"),
            user,
        )
    before = workflow_state()
    walked, saved = 0, 0
    for model in admin.site._registry:
        opts = model._meta
        for obj in model.objects.all():
            try:
                url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            except NoReverseMatch:
                continue
            response = client.get(url)
            if response.status_code != 200 or "adminform" not in response.context:
                continue
            walked += 1
            if not response.context.get("has_change_permission"):
                continue
            response = client.post(url, post_back(response.context, second_editor))
            saved += response.status_code == 302
            assert workflow_state() == before, f"{url} changed workflow state"
    assert walked >= 10
    assert saved >= 6  # claims and evidence saved: the walk reached real saves


@pytest.mark.parametrize("role", ["reviewer", "editor"])
def test_add_forms_cannot_create_workflow_state(role, world, client, second_editor):
    user = make_user(f"staff-{role}", role, is_staff=True)
    client.login(username=user.username, password=PASSWORD)
    verified = world["verified"]
    assert client.get(reverse("admin:claims_verdict_add")).status_code == 403
    before = Evidence.objects.filter(claim=verified).count()
    response = client.post(
        reverse("admin:claims_evidence_add"),
        {
            "claim": verified.pk,
            "source": make_source(url="https://example.org/late").pk,
            "stance": "supports",
            "passage": "",
            "note": "",
            "change_reason": "",
        },
    )
    assert response.status_code == 200 and "claim" in response.context["adminform"].form.errors
    assert Evidence.objects.filter(claim=verified).count() == before
    article = verified.article
    client.post(
        reverse("admin:claims_claim_add"),
        {
            "article": article.pk,
            "text": QUOTES[0],
            "quote": QUOTES[0],
            "start": article.body.index(QUOTES[0]),
            "end": article.body.index(QUOTES[0]) + len(QUOTES[0]),
            "status": "verified",
            "evidence-TOTAL_FORMS": 0,
            "evidence-INITIAL_FORMS": 0,
            "verdicts-TOTAL_FORMS": 0,
            "verdicts-INITIAL_FORMS": 0,
            "change_reason": "",
        },
    )
    assert not Claim.objects.filter(status="verified").exclude(pk=verified.pk).exists()
    assert Claim.objects.filter(status="unreviewed").count() == 2  # created, but unreviewed


def test_workflow_moves_in_the_admin_go_through_the_services(world, client, reviewer, editor):
    editor.is_staff = True
    editor.save()
    reviewer.is_staff = True
    reviewer.save()
    verified = world["verified"]
    client.login(username=reviewer.username, password=PASSWORD)
    client.post(
        reverse("admin:claims_claim_changelist"),
        {"action": "reopen", "_selected_action": [verified.pk]},
    )
    verified.refresh_from_db()
    assert verified.status == "verified"  # a reviewer may not reopen
    client.login(username=editor.username, password=PASSWORD)
    client.post(
        reverse("admin:claims_claim_changelist"),
        {"action": "reopen", "_selected_action": [verified.pk]},
    )
    verified.refresh_from_db()
    assert verified.status == "in_review"
    assert verified.verdicts.get().state == "superseded"
    assert verified.history.first().history_user == editor


def test_an_old_version_cannot_be_posted_back_from_the_history_page(world, client, editor):
    from claims.services import claim_reopen

    editor.is_staff = True
    editor.save()
    verified = world["verified"]
    verified.history.create(  # history as the workflow writes it
        **{
            f.attname: getattr(verified, f.attname)
            for f in Claim._meta.concrete_fields
            if f.name != "similarity_key"  # derived, not in the history
        },
        history_date=verified.updated_at,
        history_type="~",
    )
    claim_reopen(claim=verified, user=editor, reason="New evidence")
    old = verified.history.filter(status="verified").first()
    client.login(username=editor.username, password=PASSWORD)
    url = reverse("admin:claims_claim_simple_history", args=[verified.pk, old.history_id])
    assert client.get(url).status_code == 200  # shown
    response = client.post(url, {"text": verified.text, "change_reason": "revert"})
    assert response.status_code == 403
    verified.refresh_from_db()
    assert verified.status == "in_review"
