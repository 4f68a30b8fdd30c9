"""The schema.org terms a ClaimReview export may carry, and Google's fact-check fields.

Encoded from schema.org's type definitions (https://schema.org/ClaimReview, /Review,
/CreativeWork, /Thing, /Claim, /Rating, /Organization, /Person; schema.org release 29)
and Google's "Fact Check (ClaimReview) structured data" page
(https://developers.google.com/search/docs/appearance/structured-data/factcheck).
The importer keeps a review's top-level properties that are in CLAIMREVIEW_PROPERTIES
(anything else is an aggregator's annotation, e.g. "retrieved_by"), and the tests check
every exported document against these lists.
"""

THING = {
    "additionalType",
    "alternateName",
    "description",
    "disambiguatingDescription",
    "identifier",
    "image",
    "mainEntityOfPage",
    "name",
    "potentialAction",
    "sameAs",
    "subjectOf",
    "url",
}
CREATIVE_WORK = THING | {
    "about",
    "abstract",
    "accessMode",
    "accountablePerson",
    "alternativeHeadline",
    "archivedAt",
    "associatedMedia",
    "audience",
    "author",
    "citation",
    "comment",
    "commentCount",
    "contentLocation",
    "contributor",
    "copyrightHolder",
    "copyrightYear",
    "creativeWorkStatus",
    "creator",
    "dateCreated",
    "dateModified",
    "datePublished",
    "editor",
    "firstAppearance",
    "genre",
    "hasPart",
    "headline",
    "inLanguage",
    "isAccessibleForFree",
    "isBasedOn",
    "isPartOf",
    "keywords",
    "license",
    "mainEntity",
    "mentions",
    "position",
    "publisher",
    "sdDatePublished",
    "sdLicense",
    "sdPublisher",
    "sourceOrganization",
    "spatialCoverage",
    "text",
    "thumbnailUrl",
    "translator",
    "version",
    "video",
    "wordCount",
    "appearance",
}
REVIEW = CREATIVE_WORK | {
    "itemReviewed",
    "reviewAspect",
    "reviewBody",
    "reviewRating",
    "associatedClaimReview",
    "associatedMediaReview",
    "associatedReview",
    "negativeNotes",
    "positiveNotes",
}
CLAIMREVIEW_PROPERTIES = REVIEW | {"claimReviewed"}
CLAIM = CREATIVE_WORK | {"appearance", "firstAppearance", "claimInterpreter"}
RATING = THING | {
    "author",
    "bestRating",
    "ratingExplanation",
    "ratingValue",
    "reviewAspect",
    "worstRating",
}
ORGANIZATION = THING | {
    "address",
    "email",
    "foundingDate",
    "legalName",
    "logo",
    "parentOrganization",
    "telephone",
}
PERSON = THING | {"affiliation", "email", "familyName", "givenName", "jobTitle", "worksFor"}

# Google: required, then recommended, per type.
GOOGLE_REQUIRED = {
    "ClaimReview": {"claimReviewed", "reviewRating", "url"},
    "Rating": {"alternateName"},
}
GOOGLE_RECOMMENDED = {
    "ClaimReview": {"author", "datePublished", "itemReviewed"},
    "Claim": {"appearance", "author", "datePublished"},
    "Rating": {"bestRating", "name", "ratingValue", "worstRating"},
    "Organization": {"name", "url"},
}
