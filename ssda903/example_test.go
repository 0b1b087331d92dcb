package ssda903_test

import (
	"fmt"
	"strings"

	"github.com/reunify/reunify/ssda903"
)

// A child goes into foster care, moves to an agency carer, goes home, and
// comes back into care in a children's home.
func Example() {
	header := "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n7,1,03/07/2009,WBRI,,,\n"
	episodes := "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n" +
		"7,01/05/2019,S,C2,N1,U4,PR1,01/08/2019,X1,,,,\n" +
		"7,01/08/2019,P,C2,N1,U4,PR4,10/02/2020,E4A,CARPL,,,\n" +
		"7,15/06/2020,S,C2,N1,K2,PR1,,,,,,\n" +
		"7,15/06/2020,S,C2,N1,K2,PR9,,,,,,\n"
	d, rep, err := ssda903.Read(
		[]ssda903.Source{{Name: "header.csv", R: strings.NewReader(header)}},
		[]ssda903.Source{{Name: "episodes.csv", R: strings.NewReader(episodes)}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, i := range rep.Issues {
		fmt.Println(i)
	}
	for _, p := range d.Children[0].Periods {
		fmt.Printf("period %s to %s, %s, re-entry %v:", p.Start, p.End, p.Exit, p.Reentry)
		for _, s := range p.Spells {
			fmt.Printf(" %s", s.Type)
		}
		fmt.Println()
	}
	// Output:
	// episodes.csv:5: unknown_code: column PLACE_PROVIDER: not a code of the DfE SSDA903 guidance (the value is not shown: it may be personal data)
	// period 2019-05-01 to 2020-02-10, return_home, re-entry false: in_house_foster agency_foster
	// period 2020-06-15 to open, open, re-entry true: childrens_home
}
