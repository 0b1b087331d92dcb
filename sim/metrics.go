package sim

// Metric names reported for each arm and iteration. Their order, and the
// names that depend on the model (one per placement type, one per risk
// tier), come from metricTable, which both MetricNames and the tally's
// outcome read, so the names and the values cannot drift apart.
const (
	MChildren             = "children"
	MEntries              = "entries"
	MReturnsHome          = "returns_home"
	MReentries            = "reentries"
	MReentryRate3         = "reentry_rate_3m"
	MReentryRate12        = "reentry_rate_12m"
	MReentryRate24        = "reentry_rate_24m"
	MReentryRate60        = "reentry_rate_60m"
	MReentryRate72        = "reentry_rate_72m"
	MStableReturns        = "stable_returns"
	MStableRate24         = "stable_rate_24m"
	MMaltreatmentEvents   = "maltreatment_events"
	MChildrenMaltreated   = "children_maltreated"
	MMaltreatmentRate24   = "maltreatment_rate_24m"
	MExitsPermanence      = "exits_permanence"
	MExitsAge18           = "exits_age18"
	MReturnShareOfExits   = "return_share_of_exits"
	MInCareEnd            = "in_care_end"
	MCostTotal            = "cost_total"
	MCostTotalDiscounted  = "cost_total_discounted"
	MCostPlacements       = "cost_placements"
	MCostSocialWork       = "cost_social_work"
	MCostSupport          = "cost_support"
	MCostSupportDisc      = "cost_support_discounted"
	MCostOneOff           = "cost_one_off"
	MSupportFamilies      = "support_families"
	MSupportWaitMonths    = "support_wait_months"
	MSupportTurnedAway    = "support_turned_away"
	MSupportUtilisation   = "support_utilisation"
	childMonthsPrefix     = "child_months_"
	returnsHomeTierPrefix = "returns_home_"
	reentriesTierPrefix   = "reentries_"
)

// The names of the risk tiers (TierNames), as constants for the tables.
const (
	tierGreen = "green"
	tierAmber = "amber"
	tierRed   = "red"
)

// TierNames are the names used in metric names and scenario files.
var TierNames = [NumTiers]string{Green: tierGreen, Amber: tierAmber, Red: tierRed}

// A metric row is one metric, or one per placement type or per risk tier
// (its name then a prefix to the placement's or tier's name).
const (
	perNone = iota
	perPlacement
	perTier
)

// metricRow is a row of the metric table: the name and how an
// iteration's summary gives the value (i: the placement or tier).
type metricRow struct {
	name  string
	per   int
	value func(s *summary, i int) float64
}

// metricTable is the list of per-iteration metrics, in output order.
var metricTable = [...]metricRow{
	{MChildren, perNone, func(s *summary, _ int) float64 { return s.t.children }},
	{MEntries, perNone, func(s *summary, _ int) float64 { return s.t.entries }},
	{MReturnsHome, perNone, func(s *summary, _ int) float64 { return s.t.returns }},
	{MReentries, perNone, func(s *summary, _ int) float64 { return s.t.reentries }},
	{MReentryRate3, perNone, func(s *summary, _ int) float64 { return s.km(3) }},
	{MReentryRate12, perNone, func(s *summary, _ int) float64 { return s.km(12) }},
	{MReentryRate24, perNone, func(s *summary, _ int) float64 { return s.km(24) }},
	{MReentryRate60, perNone, func(s *summary, _ int) float64 { return s.km(60) }},
	{MReentryRate72, perNone, func(s *summary, _ int) float64 { return s.km(72) }},
	{MStableReturns, perNone, func(s *summary, _ int) float64 { return s.t.stable }},
	{MStableRate24, perNone, func(s *summary, _ int) float64 { return ratio(s.t.stable, s.t.stableEligible) }},
	{MMaltreatmentEvents, perNone, func(s *summary, _ int) float64 { return s.t.maltreatEvents }},
	{MChildrenMaltreated, perNone, func(s *summary, _ int) float64 { return s.t.maltreated }},
	{MMaltreatmentRate24, perNone, func(s *summary, _ int) float64 { return ratio(s.t.maltreat24, s.t.eligible24) }},
	{MExitsPermanence, perNone, func(s *summary, _ int) float64 { return s.t.exitsPermanence }},
	{MExitsAge18, perNone, func(s *summary, _ int) float64 { return s.t.exitsAge18 }},
	{MReturnShareOfExits, perNone, func(s *summary, _ int) float64 {
		return ratio(s.t.returns, s.t.returns+s.t.exitsPermanence+s.t.exitsAge18)
	}},
	{MInCareEnd, perNone, func(s *summary, _ int) float64 { return s.t.inCareEnd }},
	{childMonthsPrefix, perPlacement, func(s *summary, p int) float64 { return s.childMonths[p] }},
	{MCostTotal, perNone, func(s *summary, _ int) float64 { return s.total }},
	{MCostTotalDiscounted, perNone, func(s *summary, _ int) float64 { return s.totalDisc }},
	{MCostPlacements, perNone, func(s *summary, _ int) float64 { return s.cost[costPlacement] }},
	{MCostSocialWork, perNone, func(s *summary, _ int) float64 { return s.cost[costSocialWork] }},
	{MCostSupport, perNone, func(s *summary, _ int) float64 { return s.cost[costSupport] }},
	{MCostSupportDisc, perNone, func(s *summary, _ int) float64 { return s.disc[costSupport] }},
	{MCostOneOff, perNone, func(s *summary, _ int) float64 { return s.cost[costOneOff] }},
	{MSupportFamilies, perNone, func(s *summary, _ int) float64 { return s.t.supportFamilies }},
	{MSupportWaitMonths, perNone, func(s *summary, _ int) float64 { return s.t.waitMonths.value(monthScale) }},
	{MSupportTurnedAway, perNone, func(s *summary, _ int) float64 { return s.t.turnedAway }},
	{MSupportUtilisation, perNone, func(s *summary, _ int) float64 { return ratio(s.t.usedMonths, s.t.placeMonths) }},
	{returnsHomeTierPrefix, perTier, func(s *summary, k int) float64 { return s.t.returnsTier[k] }},
	{reentriesTierPrefix, perTier, func(s *summary, k int) float64 { return s.t.reentriesTier[k] }},
}

// eachMetric calls f with every metric's table row and index (its
// placement or tier), in output order, for a model with np placement
// types.
func eachMetric(np int, f func(row *metricRow, i int)) {
	for r := range metricTable {
		row := &metricTable[r]
		for i := range row.count(np) {
			f(row, i)
		}
	}
}

// count is how many metrics the row stands for, with np placement types.
func (row *metricRow) count(np int) int {
	switch row.per {
	case perPlacement:
		return np
	case perTier:
		return int(NumTiers)
	}
	return 1
}

// MetricNames lists the per-iteration metrics for m, in output order.
func MetricNames(m *Model) []string {
	var names []string
	eachMetric(len(m.Placements), func(row *metricRow, i int) {
		switch row.per {
		case perPlacement:
			names = append(names, row.name+m.Placements[i].Name)
		case perTier:
			names = append(names, row.name+TierNames[i])
		default:
			names = append(names, row.name)
		}
	})
	return names
}

// Indices of the yearly metrics, with their names in yearlyNames.
const (
	yEntries = iota
	yReturns
	yReentries
	yMaltreatment
	yInCare
	yCost
	yCostDisc
	yCostPlacement
	yCostSupport
	yReturnsTier   // NumTiers entries: returns home by tier
	yReentriesTier = yReturnsTier + int(NumTiers)
	numYearly      = yReentriesTier + int(NumTiers)
)

// yearlyNames names the yearly metrics, in the order of Results.Yearly.
var yearlyNames = [numYearly]string{
	yEntries:                    MEntries,
	yReturns:                    MReturnsHome,
	yReentries:                  MReentries,
	yMaltreatment:               MMaltreatmentEvents,
	yInCare:                     MInCareEnd,
	yCost:                       MCostTotal,
	yCostDisc:                   MCostTotalDiscounted,
	yCostPlacement:              MCostPlacements,
	yCostSupport:                MCostSupport,
	yReturnsTier + int(Green):   returnsHomeTierPrefix + tierGreen,
	yReturnsTier + int(Amber):   returnsHomeTierPrefix + tierAmber,
	yReturnsTier + int(Red):     returnsHomeTierPrefix + tierRed,
	yReentriesTier + int(Green): reentriesTierPrefix + tierGreen,
	yReentriesTier + int(Amber): reentriesTierPrefix + tierAmber,
	yReentriesTier + int(Red):   reentriesTierPrefix + tierRed,
}

// YearlyNames lists the per-year metrics, in output order.
func YearlyNames() []string { return append([]string(nil), yearlyNames[:]...) }

// summary is what an iteration's metrics are read from: an arm's tally,
// its priced costs and its Kaplan-Meier curve.
type summary struct {
	t                *tally
	c                *compiled
	cost, disc       [numCosts]float64
	total, totalDisc float64
	childMonths      []float64
	cumReentry       []float64
}

// km returns the re-entry curve at month, NaN beyond it or without
// returns.
func (s *summary) km(month int) float64 {
	if month > s.c.survival || s.t.returns == 0 {
		return nan
	}
	return s.cumReentry[month]
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return nan
	}
	return a / b
}

// outcome converts the tally into the metric vectors of Results.
func (t *tally) outcome(c *compiled) Outcome {
	s := summary{t: t, c: c, childMonths: t.childMonths}
	s.cost, s.disc = t.costs(c, s.childMonths)
	for k := range s.cost {
		s.total += s.cost[k]
		s.totalDisc += s.disc[k]
	}
	inCare := 0.0
	for y := range c.years {
		inCare += t.inCareDiff[y]
		t.yearly[y*numYearly+yInCare] = inCare
	}
	// One allocation for the four vectors of the outcome.
	nm, ny, ns := c.nMetrics, len(t.yearly), c.survival+1
	all := make([]float64, nm+ny+2*ns)
	o := Outcome{
		Metrics:    all[:0:nm],
		Yearly:     all[nm : nm+ny : nm+ny],
		AtRisk:     all[nm+ny : nm+ny+ns : nm+ny+ns],
		CumReentry: all[nm+ny+ns:],
	}
	copy(o.Yearly, t.yearly)
	// Kaplan-Meier over the bins: within a bin, re-entries come before
	// censoring (the usual convention for ties).
	atRisk := t.returns
	surv := 1.0
	for m := 0; m <= c.survival; m++ {
		o.AtRisk[m] = atRisk
		if atRisk > 0 || m == 0 && t.returns > 0 {
			o.CumReentry[m] = 1 - surv
		} else {
			o.CumReentry[m] = nan
		}
		for b := m * kmBinsPerMonth; b < (m+1)*kmBinsPerMonth; b++ {
			d, cz := float64(t.kmEvent[b]), float64(t.kmCensor[b])
			if atRisk > 0 && d > 0 {
				surv *= 1 - d/atRisk
			}
			atRisk -= d + cz
		}
	}
	s.cumReentry = o.CumReentry
	for r := range metricTable {
		row := &metricTable[r]
		for i := range row.count(c.np) {
			o.Metrics = append(o.Metrics, row.value(&s, i))
		}
	}
	return o
}
