// Command pngcheck checks that a screenshot shows a rendered page rather
// than a blank one: it decodes a PNG and requires enough distinct colours
// and enough pixels that differ from the background (the most common
// colour). The browser test (scripts/browser-test.sh) runs it on the
// screenshot of report.html.
//
// Usage: go run ./scripts/pngcheck [-colours N] [-ink FRACTION] FILE.png
package main

import (
	"flag"
	"fmt"
	"image/color"
	"image/png"
	"os"
)

func main() {
	minColours := flag.Int("colours", 64, "fewest distinct colours a rendered page has")
	minInk := flag.Float64("ink", 0.02, "smallest share of pixels unlike the background")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: pngcheck [-colours N] [-ink FRACTION] FILE.png")
		os.Exit(2)
	}
	if err := check(flag.Arg(0), *minColours, *minInk); err != nil {
		fmt.Fprintln(os.Stderr, "pngcheck:", err)
		os.Exit(1)
	}
}

func check(path string, minColours int, minInk float64) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	b := img.Bounds()
	if b.Dx() < 100 || b.Dy() < 100 {
		return fmt.Errorf("%s: %dx%d pixels: too small for a page", path, b.Dx(), b.Dy())
	}
	counts := map[color.NRGBA]int{}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			counts[color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)]++
		}
	}
	var bg color.NRGBA
	for c, n := range counts {
		if n > counts[bg] {
			bg = c
		}
	}
	total := b.Dx() * b.Dy()
	ink := 1 - float64(counts[bg])/float64(total)
	fmt.Printf("%s: %dx%d pixels, %d distinct colours, %.1f%% unlike the background %v\n",
		path, b.Dx(), b.Dy(), len(counts), 100*ink, bg)
	if len(counts) < minColours {
		return fmt.Errorf("%s: only %d distinct colours (want at least %d): the page looks blank", path, len(counts), minColours)
	}
	if ink < minInk {
		return fmt.Errorf("%s: only %.2f%% of pixels unlike the background (want at least %.0f%%): the page looks blank", path, 100*ink, 100*minInk)
	}
	return nil
}
