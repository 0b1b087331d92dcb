package safefile

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// A seal is the last line of a text file reunify writes on its own (a
// calibrated scenario, say), in the file's comment syntax: "# reunify-seal
// sha256:<hex>", the sha256 of every byte before it. It is how such a
// file proves it is reunify's and unchanged, as a result folder's files
// do by their manifest, so that --force never replaces a file the user
// made or edited, whatever its first line says.
const sealMark = " reunify-seal sha256:"

// maxSealed bounds the sealed files read back.
const maxSealed = 64 << 20

// Seal returns text, ending with a newline, followed by its seal as a
// comment starting with comment ("#" for TOML).
func Seal(text []byte, comment string) []byte {
	out := append([]byte(nil), text...)
	if len(out) > 0 && out[len(out)-1] != '\n' {
		out = append(out, '\n')
	}
	sum := sha256.Sum256(out)
	return append(out, comment+sealMark+hex.EncodeToString(sum[:])+"\n"...)
}

// OwnedSealed returns the Owned check of a file Seal sealed with
// comment: a regular file whose last line is its seal and whose bytes
// before it have the sha256 the seal records.
func OwnedSealed(comment string) func(path string) error {
	return func(path string) error {
		b, err := ReadSmall(path, maxSealed)
		if err != nil {
			return err
		}
		body := bytes.TrimSuffix(b, []byte("\n"))
		i := bytes.LastIndexByte(body, '\n') + 1
		last := string(body[i:])
		want := comment + sealMark
		if len(b) == len(body) || len(last) != len(want)+64 || last[:len(want)] != want {
			return fmt.Errorf("it does not end with reunify's seal, so it is not a file reunify wrote there (or it was changed since)")
		}
		sum := sha256.Sum256(b[:i])
		if hex.EncodeToString(sum[:]) != last[len(want):] {
			return fmt.Errorf("it was changed since reunify wrote it (its sha256 is not the one its seal records)")
		}
		return nil
	}
}
