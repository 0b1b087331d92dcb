// Package ssda903 reads the SSDA903 statutory return on children looked
// after, as English local authorities hold it (the episodes and header
// files, one pair per collection year), and reconstructs each child's
// periods of care, placements and returns home.
//
// # Reading
//
// Read takes any number of header and episode files (several years
// concatenated). Columns are found by their header names, so extra columns
// (LA, YEAR) are ignored and the order does not matter; a missing required
// column is an error naming the file. Every line is one row: no field of
// the return holds a line break, so a quote left open at the end of its
// line refuses the file (a reader that read on would swallow the rows up
// to the next quote), and a quote inside a field makes its row malformed.
// Blank lines are counted. Dates may be dd/mm/yyyy or
// yyyy-mm-dd. The same episode appearing in two years' files (same child,
// DECOM, RNE, PLACE and PLACE_PROVIDER) is kept once: the last closed
// copy is used; an earlier copy that ends differently is reported as a
// conflict, replaced (Replaced), and is not counted as skipped.
//
// Rows that cannot be used are never silently used or silently dropped:
// each is reported in the Report as an Issue with its file, line, column
// and Class (missing_date, invalid_date, end_before_start, unknown_code,
// ...), and skipped. Messages never contain a cell's value (a child's
// identifier, date of birth, postcode, UPN or URN typed in the wrong
// column): only the file, the line, the column and, at most, a known code
// of the guidance. An open episode that carries a REC code is kept as open
// and reported (open_with_rec).
//
// # Limits
//
// Every file is read through limits checked as its bytes arrive: at most
// MaxFileBytes, no line longer than MaxLineBytes, no NUL byte and no
// UTF-16, so that a wrong file is refused at once with its name and line;
// at most MaxEpisodeRows episode rows and MaxChildren children in all the
// files, which bounds the memory Read needs. Episodes are kept in chunks,
// never in a slice that grows by copying.
// At most MaxListed problem rows are listed; the rest are counted.
//
// # Authorities
//
// An LA column, in either file, tells authorities apart: children are
// keyed by authority and CHILD, and each Child carries its authority
// (Data.LAs); Data.Authority selects one authority's children.
//
// # Memory
//
// Each episode row is parsed at once into a compact record (dates as days,
// codes as small integers; 24 bytes); no row is kept as text. Child
// identifiers are held only while reading, to join the files, and are
// dropped before Read returns: the Data it returns knows children only by
// their position.
//
// # Periods of care
//
// A period of care is a run of episodes, as the DfE guidance has it: it
// starts with an episode whose RNE is S and ends with an episode whose
// REC is an E code (X1 means the episode ended and another began the same
// day, within the period). After an X1 and a gap (an episode missing, a
// row skipped), an episode whose RNE is not S continues the period, which
// runs on through the gap; one whose RNE is S starts a new period, and
// the one before is censored. A period whose start is not in the files is
// never an entry (Period.Entry). A return home is REC E4A or E4B. A later period of a
// child who returned home is a re-entry. Consecutive episodes of the same
// placement type (a change of legal status only) form one Spell; a change
// of placement type within a period is a move. Placement types come from
// PLACE and PLACE_PROVIDER (see TypeOf).
//
// # Synthetic returns
//
// Export converts reunify's event log (sim.Options.Events) into episodes
// and header files in this format, so that a simulated authority can be
// read back and calibrated: the two directions test each other.
package ssda903
