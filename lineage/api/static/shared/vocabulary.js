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
  "REPORTED": "reported (a campaigner's, requester's, press, law firm's or research body's account, or a third party's copy)",
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

/** What breaks a line, which a name may not hold, in words, by code point. */
export const LINE_BREAKS = Object.freeze({
  "9": "the control character U+0009",
  "10": "the control character U+000A",
  "13": "the control character U+000D",
  "8232": "the line separator U+2028",
  "8233": "the paragraph separator U+2029"
});

/** The academic years a question about the record may ask (by the year each starts): the NPD's first, and the month (1-12) each starts in, by which today's is the last. */
export const ACADEMIC_YEARS = Object.freeze({
  "first": 1995,
  "startMonth": 9
});

/** The longest name a letter takes, in characters. */
export const NAME_LIMIT = Object.freeze(200);

/** The most characters of a caller's value an error quotes back; a longer one is cut short. */
export const MAX_QUOTED = Object.freeze(200);

/** The letters and marks of each script within whose words a joiner or non-joiner shapes what shows, by the name each begins with, as [first, last] code points. */
export const SHAPING_SCRIPTS = Object.freeze({"ARABIC": [[1552, 1562], [1568, 1631], [1646, 1747], [1749, 1756], [1759, 1768], [1770, 1775], [1786, 1788], [1791, 1791], [1872, 1919], [2160, 2183], [2185, 2190], [2200, 2273], [2275, 2303], [64336, 64433], [64467, 64829], [64848, 64911], [64914, 64967], [65008, 65019], [65136, 65140], [65142, 65276], [126464, 126467], [126469, 126495], [126497, 126498], [126500, 126500], [126503, 126503], [126505, 126514], [126516, 126519], [126521, 126521], [126523, 126523], [126530, 126530], [126535, 126535], [126537, 126537], [126539, 126539], [126541, 126543], [126545, 126546], [126548, 126548], [126551, 126551], [126553, 126553], [126555, 126555], [126557, 126557], [126559, 126559], [126561, 126562], [126564, 126564], [126567, 126570], [126572, 126578], [126580, 126583], [126585, 126588], [126590, 126590], [126592, 126601], [126603, 126619], [126625, 126627], [126629, 126633], [126635, 126651]], "BENGALI": [[2432, 2435], [2437, 2444], [2447, 2448], [2451, 2472], [2474, 2480], [2482, 2482], [2486, 2489], [2492, 2500], [2503, 2504], [2507, 2510], [2519, 2519], [2524, 2525], [2527, 2531], [2544, 2545], [2556, 2556], [2558, 2558]], "DEVANAGARI": [[2304, 2403], [2417, 2431], [43250, 43255], [43259, 43259], [43261, 43263]], "GUJARATI": [[2689, 2691], [2693, 2701], [2703, 2705], [2707, 2728], [2730, 2736], [2738, 2739], [2741, 2745], [2748, 2757], [2759, 2761], [2763, 2765], [2768, 2768], [2784, 2787], [2809, 2815]], "GURMUKHI": [[2561, 2563], [2565, 2570], [2575, 2576], [2579, 2600], [2602, 2608], [2610, 2611], [2613, 2614], [2616, 2617], [2620, 2620], [2622, 2626], [2631, 2632], [2635, 2637], [2641, 2641], [2649, 2652], [2654, 2654], [2672, 2677]], "KANNADA": [[3200, 3203], [3205, 3212], [3214, 3216], [3218, 3240], [3242, 3251], [3253, 3257], [3260, 3268], [3270, 3272], [3274, 3277], [3285, 3286], [3293, 3294], [3296, 3299], [3313, 3314]], "KHMER": [[6016, 6099], [6103, 6103], [6108, 6109]], "MALAYALAM": [[3328, 3340], [3342, 3344], [3346, 3396], [3398, 3400], [3402, 3406], [3412, 3415], [3423, 3427], [3450, 3455]], "MONGOLIAN": [[6155, 6157], [6159, 6159], [6176, 6264], [6272, 6314]], "MYANMAR": [[4096, 4159], [4176, 4239], [4250, 4253], [43488, 43503], [43514, 43518], [43616, 43638], [43642, 43647]], "NKO": [[1994, 2037], [2042, 2042], [2045, 2045]], "ORIYA": [[2817, 2819], [2821, 2828], [2831, 2832], [2835, 2856], [2858, 2864], [2866, 2867], [2869, 2873], [2876, 2884], [2887, 2888], [2891, 2893], [2901, 2903], [2908, 2909], [2911, 2915], [2929, 2929]], "SINHALA": [[3457, 3459], [3461, 3478], [3482, 3505], [3507, 3515], [3517, 3517], [3520, 3526], [3530, 3530], [3535, 3540], [3542, 3542], [3544, 3551], [3570, 3571]], "SYRIAC": [[1808, 1866], [1869, 1871], [2144, 2154]], "TAMIL": [[2946, 2947], [2949, 2954], [2958, 2960], [2962, 2965], [2969, 2970], [2972, 2972], [2974, 2975], [2979, 2980], [2984, 2986], [2990, 3001], [3006, 3010], [3014, 3016], [3018, 3021], [3024, 3024], [3031, 3031]], "TELUGU": [[3072, 3084], [3086, 3088], [3090, 3112], [3114, 3129], [3132, 3140], [3142, 3144], [3146, 3149], [3157, 3158], [3160, 3162], [3165, 3165], [3168, 3171]], "TIBETAN": [[3840, 3840], [3864, 3865], [3893, 3893], [3895, 3895], [3897, 3897], [3902, 3911], [3913, 3948], [3953, 3972], [3974, 3991], [3993, 4028], [4038, 4038]]});

/** The symbols (category So) an emoji joiner stands between, as [first, last] code points. */
export const SYMBOLS = Object.freeze([[166, 166], [169, 169], [174, 174], [176, 176], [1154, 1154], [1421, 1422], [1550, 1551], [1758, 1758], [1769, 1769], [1789, 1790], [2038, 2038], [2554, 2554], [2928, 2928], [3059, 3064], [3066, 3066], [3199, 3199], [3407, 3407], [3449, 3449], [3841, 3843], [3859, 3859], [3861, 3863], [3866, 3871], [3892, 3892], [3894, 3894], [3896, 3896], [4030, 4037], [4039, 4044], [4046, 4047], [4053, 4056], [4254, 4255], [5008, 5017], [5741, 5741], [6464, 6464], [6622, 6655], [7009, 7018], [7028, 7036], [8448, 8449], [8451, 8454], [8456, 8457], [8468, 8468], [8470, 8471], [8478, 8483], [8485, 8485], [8487, 8487], [8489, 8489], [8494, 8494], [8506, 8507], [8522, 8522], [8524, 8525], [8527, 8527], [8586, 8587], [8597, 8601], [8604, 8607], [8609, 8610], [8612, 8613], [8615, 8621], [8623, 8653], [8656, 8657], [8659, 8659], [8661, 8691], [8960, 8967], [8972, 8991], [8994, 9000], [9003, 9083], [9085, 9114], [9140, 9179], [9186, 9254], [9280, 9290], [9372, 9449], [9472, 9654], [9656, 9664], [9666, 9719], [9728, 9838], [9840, 10087], [10132, 10175], [10240, 10495], [11008, 11055], [11077, 11078], [11085, 11123], [11126, 11157], [11159, 11263], [11493, 11498], [11856, 11857], [11904, 11929], [11931, 12019], [12032, 12245], [12272, 12283], [12292, 12292], [12306, 12307], [12320, 12320], [12342, 12343], [12350, 12351], [12688, 12689], [12694, 12703], [12736, 12771], [12800, 12830], [12842, 12871], [12880, 12880], [12896, 12927], [12938, 12976], [12992, 13311], [19904, 19967], [42128, 42182], [43048, 43051], [43062, 43063], [43065, 43065], [43639, 43641], [64832, 64847], [64975, 64975], [65021, 65023], [65508, 65508], [65512, 65512], [65517, 65518], [65532, 65533], [65847, 65855], [65913, 65929], [65932, 65934], [65936, 65948], [65952, 65952], [66000, 66044], [67703, 67704], [68296, 68296], [71487, 71487], [73685, 73692], [73697, 73713], [92988, 92991], [92997, 92997], [113820, 113820], [118608, 118723], [118784, 119029], [119040, 119078], [119081, 119140], [119146, 119148], [119171, 119172], [119180, 119209], [119214, 119274], [119296, 119361], [119365, 119365], [119552, 119638], [120832, 121343], [121399, 121402], [121453, 121460], [121462, 121475], [121477, 121478], [123215, 123215], [126124, 126124], [126254, 126254], [126976, 127019], [127024, 127123], [127136, 127150], [127153, 127167], [127169, 127183], [127185, 127221], [127245, 127405], [127462, 127490], [127504, 127547], [127552, 127560], [127568, 127569], [127584, 127589], [127744, 127994], [128000, 128727], [128733, 128748], [128752, 128764], [128768, 128883], [128896, 128984], [128992, 129003], [129008, 129008], [129024, 129035], [129040, 129095], [129104, 129113], [129120, 129159], [129168, 129197], [129200, 129201], [129280, 129619], [129632, 129645], [129648, 129652], [129656, 129660], [129664, 129670], [129680, 129708], [129712, 129722], [129728, 129733], [129744, 129753], [129760, 129767], [129776, 129782], [129792, 129938], [129940, 129994]]);
