package sim

// Distribution is a parameter's uncertainty: the engine draws each
// parameter by inverse transform from its own uniform random number, so
// adding a parameter never changes the draws of the others.
type Distribution interface {
	Quantile(p float64) float64
	Mean() float64
}

// Param is a model parameter drawn once per iteration and shared by all
// arms (probabilistic sensitivity analysis).
type Param struct {
	Path string // the scenario key path, reported as param.<Path>
	Dist Distribution
	// Set writes a drawn value into a copy of the model.
	Set func(m *Model, v float64)
	// Mix, if not empty, correlates the parameter's draw with others' (a
	// Gaussian copula): its uniform is Phi(sum of W * Phi^-1(u) over Mix),
	// where u is the independent uniform of parameter Mix[k].Param (an
	// index in Options.Params) and Phi the standard normal distribution
	// function. The weights are the parameter's row of the Cholesky
	// factor of the correlation matrix, its own weight included. Empty: the
	// parameter's own uniform, unchanged.
	Mix []Weight
}

// Weight is one term of a correlated parameter's mix: the weight W of
// the normal score of parameter Param.
type Weight struct {
	Param int
	W     float64
}
