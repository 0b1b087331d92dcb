package scenario

// Starter returns a commented starter scenario, valid as it stands, for
// `reunify init`. Its figures are placeholders to replace with local ones;
// the re-entry curve follows the published national figures (30% of
// returns back in care within 5 years, 35% within 6).
func Starter() []byte { return []byte(starter) }

const starter = `# reunify scenario: children returning home from care.
# Rates are per YEAR, times in months unless a key says years, money in
# pounds. Any number marked (dist) may instead be a distribution, written
#   key = "lognormal(mean=1.2, sd=0.3)"   or
#   key = { dist = "beta", mean = 0.3, sd = 0.05 }
# Distributions: beta, gamma, lognormal, normal, uniform, triangular, fixed.
# The figures below are PLACEHOLDERS: replace them with your own.
# Check the file with: reunify validate FILE; see it resolved with:
# reunify explain FILE.

name = "my-authority"          # used in result folder names
description = "Starter scenario: replace the placeholder figures"
horizon_years = 5              # 1..100
age_bands = [0, 1, 5, 10, 16]  # lower bounds in years; every per-band list has one entry per band

# Placement types and their costs. moves_per_year (dist) is the rate of
# placement moves; move_to gives where moves go (shares summing to 1).
[[placement]]
name = "kinship"
weekly_cost = 300              # (dist) pounds per week
moves_per_year = 0.1           # (dist)
move_to = { in_house_foster = 0.7, agency_foster = 0.3 }

[[placement]]
name = "in_house_foster"
weekly_cost = 450
moves_per_year = 0.2
move_to = { kinship = 0.2, agency_foster = 0.5, childrens_home = 0.3 }

[[placement]]
name = "agency_foster"
weekly_cost = 900
moves_per_year = 0.25
move_to = { in_house_foster = 0.6, childrens_home = 0.4 }

[[placement]]
name = "childrens_home"
weekly_cost = 5000
moves_per_year = 0.3
move_to = { in_house_foster = 0.3, agency_foster = 0.7 }

# Children already in care at month 0.
[stock]
count = 400
age_shares = [0.05, 0.15, 0.2, 0.35, 0.25]    # one per age band, sum 1
placement_shares = { kinship = 0.2, in_house_foster = 0.45, agency_foster = 0.25, childrens_home = 0.1 }
mean_months_in_care = 24       # (dist)
prior_failed_returns = 0.1     # (dist) share with a failed return already

# New entries to care (a Poisson stream).
[entries]
per_year = 250                 # (dist)
trend = 0.0                    # (dist) yearly proportional change
age_shares = [0.15, 0.2, 0.2, 0.3, 0.15]
placement_shares = { kinship = 0.2, in_house_foster = 0.5, agency_foster = 0.25, childrens_home = 0.05 }

# An optional cohort returning home at month 0 (same keys as [stock]).
[cohort]
count = 0

[care]
duration_breaks_months = [0, 6, 12, 24]   # segments of time in care
# Return home per year, one column per segment: one row for all age bands,
# or one row per age band. (dist) for every element.
return_home_per_year = [0.5, 0.35, 0.25, 0.12]
# Other permanent exits (adoption, special guardianship) per year, per band.
permanence_per_year = [0.3, 0.2, 0.05, 0.02, 0.01]

[home]
# Re-entry to care after a return: the published cumulative form (share of
# returns back in care by each month since return; national figures: 30%
# within 5 years, 35% within 6). (dist) for every share. The piecewise form
# is: reentry = { starts_months = [0, 12], per_year = [0.25, 0.05] }
reentry = { months = [12, 60, 72], cumulative = [0.18, 0.30, 0.35] }
# Maltreatment after return (re-abuse or neglect), same two forms.
maltreatment = { months = [24], cumulative = [0.3] }
maltreatment_reentry_probability = 0.4    # (dist)
stable_months = 24             # at home this long without re-entry: a stable return
case_close_months = 12         # social-work costs stop after this long at home
# Placement on re-entry: one table for all ages, or an array of tables,
# one per age band.
reentry_placement_shares = { in_house_foster = 0.6, agency_foster = 0.3, childrens_home = 0.1 }

# Named risk factors: prevalence (one number or one per age band) and
# hazard ratios (dist) on return home, re-entry and maltreatment.
[[factor]]
name = "parental_substance_misuse"
prevalence = 0.3
hr_return = 0.8
hr_reentry = 1.6
hr_maltreatment = 2.7

# Hazard ratios from the child's own history (dist); unset ratios are 1.
[history]
older = { hr_reentry = 1.3 }             # aged 12+ at return
many_placements = { hr_reentry = 1.2 }   # 3+ placements
short_care = { hr_reentry = 1.2 }        # under 6 months in care before return
prior_failure = { hr_reentry = 1.5 }     # 1+ previous failed returns

[costs]
social_work_per_month = 600    # (dist) while a case is open
entry = 0                      # (dist) one-off on entry to care
reentry = 0                    # (dist) one-off on re-entry
return = 0                     # (dist) one-off on return home
discount_rate = 0.035          # per year (HM Treasury Green Book)
price_year = 2024

# Risk tiers: the risk score is the product of a child's factor and history
# hazard ratios on re-entry; at or above amber is amber, at or above red is red.
[tiers]
amber = 1.5
red = 2.5

# A support package. eligible: all keys optional (absent = everyone);
# age_bands are indices into age_bands.
[[package]]
name = "post_return_support"
uptake = 0.8                   # (dist) share of eligible families who engage
fixed_per_year = 0             # (dist) team cost per year
eligible = { tiers = ["amber", "red"] }
pre = { months = 0, cost_per_month = 0, hr_return = 1, persist_months = 0 }
post = { months = 12, cost_per_month = 469, hr_reentry = "lognormal(mean=0.7, sd=0.1)", hr_maltreatment = 0.8, persist_months = 6 }

# Arms: the compared policies. The first is the baseline.
[[arm]]
name = "baseline"
packages = []

[[arm]]
name = "support"
packages = ["post_return_support"]
`
