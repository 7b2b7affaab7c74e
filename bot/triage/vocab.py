"""The closed vocabularies a visitor's answers are mapped onto."""

LOCATIONS = (
    "low_back",
    "buttock",
    "hip",
    "leg",
    "neck",
    "upper_back",
    "chest",
    "abdomen",
    "head",
    "other",
)
OUT_OF_SCOPE_LOCATIONS = frozenset({"neck", "upper_back", "abdomen", "head", "other"})

SIDES = ("left", "right", "both", "central")
PATTERNS = ("constant", "recurrent")

# How far the pain travels, nearest first.
RADIATIONS = ("none", "buttock", "thigh", "below_knee", "foot")
RADIATION_INTO_LEG = frozenset({"thigh", "below_knee", "foot"})
RADIATION_BELOW_KNEE = frozenset({"below_knee", "foot"})

AGGRAVATORS = ("sitting", "bending", "coughing", "standing", "walking", "lifting")

CATEGORIES = (
    "emergency",
    "out_of_scope",
    "sciatica",
    "piriformis",
    "acute",
    "subacute",
    "chronic",
)
DURATION_CLASSES = ("acute", "subacute", "chronic")
URGENCIES = ("emergency", "urgent", "routine")
