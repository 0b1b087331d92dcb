package sim

// Metric names reported for each arm and iteration, in the order of
// Results.Metrics. Names that depend on the model (one per placement type,
// one per risk tier) are built by MetricNames.
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

// Yearly metric names, in the order of Results.Yearly.
var yearlyNames = []string{
	MEntries, MReturnsHome, MReentries, MMaltreatmentEvents, MInCareEnd,
	MCostTotal, MCostTotalDiscounted, MCostPlacements, MCostSupport,
	returnsHomeTierPrefix + TierNames[Green], returnsHomeTierPrefix + TierNames[Amber], returnsHomeTierPrefix + TierNames[Red],
	reentriesTierPrefix + TierNames[Green], reentriesTierPrefix + TierNames[Amber], reentriesTierPrefix + TierNames[Red],
}

// Results holds, for every arm and every simulated iteration, the metric

// MetricNames lists the per-iteration metrics for m, in output order.
func MetricNames(m *Model) []string {
	names := []string{
		MChildren, MEntries, MReturnsHome, MReentries,
		MReentryRate3, MReentryRate12, MReentryRate24, MReentryRate60, MReentryRate72,
		MStableReturns, MStableRate24, MMaltreatmentEvents, MChildrenMaltreated, MMaltreatmentRate24,
		MExitsPermanence, MExitsAge18, MReturnShareOfExits, MInCareEnd,
	}
	for _, p := range m.Placements {
		names = append(names, childMonthsPrefix+p.Name)
	}
	names = append(names,
		MCostTotal, MCostTotalDiscounted, MCostPlacements, MCostSocialWork,
		MCostSupport, MCostSupportDisc, MCostOneOff,
		MSupportFamilies, MSupportWaitMonths, MSupportTurnedAway, MSupportUtilisation,
	)
	for _, t := range TierNames {
		names = append(names, returnsHomeTierPrefix+t)
	}
	for _, t := range TierNames {
		names = append(names, reentriesTierPrefix+t)
	}
	return names
}

// YearlyNames lists the per-year metrics, in output order.
func YearlyNames() []string { return append([]string(nil), yearlyNames...) }
