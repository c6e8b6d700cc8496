// Test harness: prints c/image 5.23.1 docker/reference results as JSON lines.
package main

import (
	_ "crypto/sha256"
	_ "crypto/sha512"
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/containers/image/docker/reference"
	digest "github.com/opencontainers/go-digest"
)

type out struct {
	In       string `json:"in"`
	Err      string `json:"err,omitempty"`
	Name     string `json:"name,omitempty"`
	Domain   string `json:"domain,omitempty"`
	Path     string `json:"path,omitempty"`
	Tag      string `json:"tag,omitempty"`
	Digest   string `json:"digest,omitempty"`
	String   string `json:"string,omitempty"`
	FamName  string `json:"fam_name,omitempty"`
	FamStr   string `json:"fam_string,omitempty"`
	CanonErr string `json:"canon_err,omitempty"`
	DigErr   string `json:"digest_err,omitempty"`
	IsDomain bool   `json:"is_domain"`
	IsName   bool   `json:"is_name"`
	RemapOK  bool   `json:"remap_ok"`
}

func main() {
	anchoredDomain := regexp.MustCompile("^" + reference.DomainRegexp.String() + "$")
	anchoredName := regexp.MustCompile("^" + reference.NameRegexp.String() + "$")
	domainPrefix := regexp.MustCompile("^" + reference.DomainRegexp.String() + "/")
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	for sc.Scan() {
		line := sc.Text()
		var s string
		if err := json.Unmarshal([]byte(line), &s); err != nil {
			fmt.Fprintln(os.Stderr, "bad line", line)
			os.Exit(1)
		}
		o := out{In: s}
		o.IsDomain = anchoredDomain.MatchString(s)
		o.IsName = anchoredName.MatchString(s)
		o.RemapOK = o.IsDomain || (o.IsName && domainPrefix.MatchString(s))
		if _, err := digest.Parse(s); err != nil {
			o.DigErr = err.Error()
		} else {
			o.DigErr = ""
		}
		r, err := reference.ParseNormalizedNamed(s)
		if err != nil {
			o.Err = err.Error()
		} else {
			o.Name = r.Name()
			o.Domain = reference.Domain(r)
			o.Path = reference.Path(r)
			if t, ok := r.(reference.NamedTagged); ok {
				o.Tag = t.Tag()
			}
			if d, ok := r.(reference.Canonical); ok {
				o.Digest = d.Digest().String()
			}
			o.String = r.String()
			o.FamName = reference.FamiliarName(r)
			o.FamStr = reference.FamiliarString(r)
		}
		if _, err := reference.ParseNamed(s); err != nil {
			o.CanonErr = err.Error()
		}
		_ = strings.ToLower
		enc.Encode(o)
	}
}
