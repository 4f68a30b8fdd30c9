from django.urls import path

from .views import articles, auth, claim, claimsets, evidence, queue, search, sources, verdicts

app_name = "claims"

urlpatterns = [
    path("", queue.queue_home, name="queue"),
    path("login/", auth.sign_in, name="login"),
    path("logout/", auth.sign_out, name="logout"),
    path("search/", search.search, name="search"),
    # Articles
    path("articles/", articles.article_list, name="article_list"),
    path("articles/new/", articles.article_import, name="article_import"),
    path("articles/<int:pk>/", articles.article_detail, name="article_detail"),
    path("articles/<int:pk>/claims/", articles.article_claim_create, name="article_claim_create"),
    # A claim and what can be done to it
    path("claims/next/", claim.claim_next, name="claim_next"),
    path("claims/<int:pk>/", claim.claim_detail, name="claim_detail"),
    path("claims/<int:pk>/history/", claim.claim_history, name="claim_history"),
    path("claims/<int:pk>/sources/", claim.claim_evidence_more, name="claim_evidence_more"),
    path("claims/<int:pk>/edit/", claim.claim_edit, name="claim_edit"),
    path("claims/<int:pk>/assign/", claim.claim_assign_view, name="claim_assign"),
    path("claims/<int:pk>/start/", verdicts.claim_start, name="claim_start"),
    path("claims/<int:pk>/propose/", verdicts.claim_propose, name="claim_propose"),
    path("claims/<int:pk>/dismiss/", verdicts.claim_dismiss_view, name="claim_dismiss"),
    path("claims/<int:pk>/reopen/", verdicts.claim_reopen_view, name="claim_reopen"),
    path("verdicts/<int:pk>/approve/", verdicts.verdict_approve_view, name="verdict_approve"),
    path("verdicts/<int:pk>/return/", verdicts.verdict_return_view, name="verdict_return"),
    path("verdicts/<int:pk>/edit/", verdicts.verdict_edit, name="verdict_edit"),
    # Evidence and sources
    path("claims/<int:pk>/evidence/", evidence.evidence_add_view, name="evidence_add"),
    path("evidence/<int:pk>/", evidence.evidence_item, name="evidence_item"),
    path("evidence/<int:pk>/assess/", evidence.evidence_assess_view, name="evidence_assess"),
    path("evidence/<int:pk>/remove/", evidence.evidence_remove_view, name="evidence_remove"),
    path("sources/<int:pk>/", sources.source_detail, name="source_detail"),
    path("sources/<int:pk>/recapture/", sources.source_recapture_view, name="source_recapture"),
    path("sources/<int:pk>/upload/", sources.source_upload, name="source_upload"),
    path("captures/<int:pk>/archive/", sources.capture_download, name="capture_download"),
    path("captures/<int:pk>/<str:kind>/", sources.capture_artefact, name="capture_artefact"),
    # Claim sets
    path("sets/", claimsets.claimset_list, name="claimset_list"),
    path("sets/add/", claimsets.claimset_add, name="claimset_add"),
    path("sets/<slug:slug>/", claimsets.claimset_detail, name="claimset_detail"),
    path("sets/<slug:slug>/remove/", claimsets.claimset_remove, name="claimset_remove"),
]
