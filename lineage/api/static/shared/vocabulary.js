// GENERATED from lineage/model.py and lineage/api/vocabulary.py (the node colours) by
// `lineage vocabulary --output lineage/api/static/shared/vocabulary.js`: edit those, never this file. The
// model's vocabularies as the pages read them, so that no page keeps a copy of its own. Touches nothing.

/** Certainty levels as GraphQL names them, strongest first. */
export const CERTAINTY_LEVELS = Object.freeze([
  "CONFIRMED",
  "REPORTED",
  "CLAIMED",
  "TIER_LEVEL",
  "INFERRED"
]);

/** Each level's rank, weakest lowest: a chain is as sure as its weakest step. */
export const CERTAINTY_STRENGTH = Object.freeze({
  "CONFIRMED": 4,
  "REPORTED": 3,
  "CLAIMED": 2,
  "TIER_LEVEL": 1,
  "INFERRED": 0
});

/** Each level in the words a reader sees beside a fact. */
export const CERTAINTY_WORDS = Object.freeze({
  "CONFIRMED": "confirmed (DfE, Parliament or a regulator's letter)",
  "REPORTED": "reported (a campaigner's, requester's or press account, or a third party's copy)",
  "CLAIMED": "claimed (the recipient's own words)",
  "TIER_LEVEL": "at tier level (approved for data of a tier, not for these items: it may not hold them)",
  "INFERRED": "inferred"
});

/** What each kind of statement (a Statement's `statement`) says, in words a reader quotes. */
export const STATEMENT_KINDS = Object.freeze({
  "released": "released to it",
  "not_released": "not released to it",
  "requested_then_excluded": "asked for, then left out",
  "requested_application_rejected": "asked for; the application was refused",
  "returned_on_match": "returned to it on a match",
  "matching_input_to_dfe": "sent by it to DfE, to be matched",
  "match_flag_only": "a match flag only, no data",
  "planned": "planned",
  "not_available": "not available to it",
  "recipient_describes_its_use": "its own description of what it uses",
  "refused_to_say": "asked, and it refused to say"
});

/** The colour each kind of node is drawn in, by the kind's GraphQL name. */
export const NODE_COLOURS = Object.freeze({
  "SCHOOL": "#8c6d31",
  "COLLECTION": "#3182bd",
  "DATASET": "#6baed6",
  "DATA_ITEM": "#9ecae1",
  "CONCEPT": "#bcbddc",
  "CLASSIFICATION": "#756bb1",
  "RELEASE_RULE": "#de2d26",
  "RELEASE": "#e6550d",
  "APPROVAL": "#fd8d3c",
  "ORGANISATION": "#31a354",
  "AGGREGATE_FLOW": "#74c476",
  "APPLICATION": "#fdd0a2",
  "STATEMENT": "#a50f15",
  "EVENT": "#c51b8a",
  "IMPORT_RUN": "#969696",
  "RECORD_SET": "#006d2c"
});

/** The characters a name may not hold, as [first, last] code points: control, then format characters. */
export const UNFIT_CHARACTERS = Object.freeze({
  "control": [
    [
      0,
      8
    ],
    [
      11,
      12
    ],
    [
      14,
      31
    ],
    [
      127,
      159
    ],
    [
      65534,
      65535
    ]
  ],
  "format": [
    [
      173,
      173
    ],
    [
      1536,
      1541
    ],
    [
      1564,
      1564
    ],
    [
      1757,
      1757
    ],
    [
      1807,
      1807
    ],
    [
      2192,
      2193
    ],
    [
      2274,
      2274
    ],
    [
      6158,
      6158
    ],
    [
      8203,
      8207
    ],
    [
      8234,
      8238
    ],
    [
      8288,
      8292
    ],
    [
      8294,
      8303
    ],
    [
      65279,
      65279
    ],
    [
      65529,
      65531
    ],
    [
      69821,
      69821
    ],
    [
      69837,
      69837
    ],
    [
      78896,
      78911
    ],
    [
      113824,
      113827
    ],
    [
      119155,
      119162
    ],
    [
      917505,
      917505
    ],
    [
      917536,
      917631
    ]
  ]
});

/** The scripts within whose words a joiner or non-joiner shapes what shows (their Script_Extensions names). */
export const SHAPING_SCRIPTS = Object.freeze([
  "Arabic",
  "Bengali",
  "Devanagari",
  "Gujarati",
  "Gurmukhi",
  "Kannada",
  "Khmer",
  "Malayalam",
  "Mongolian",
  "Myanmar",
  "Nko",
  "Oriya",
  "Sinhala",
  "Syriac",
  "Tamil",
  "Telugu",
  "Tibetan"
]);

/** What may follow an emoji before a joiner, as [first, last] code points. */
export const EMOJI_TAILS = Object.freeze([
  [
    65039,
    65039
  ],
  [
    127995,
    127999
  ]
]);
