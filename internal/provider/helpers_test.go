package provider_test

import (
	"regexp"
)

var (
	regexpPublicKey = regexp.MustCompile(`^glet_[0-9a-f]{32}$`)
	regexpDSN       = regexp.MustCompile(`^https?://glet_[0-9a-f]{32}@[^/]+/`)
)

// regexpKeyIDOf matches a client key's id "<project>:<key_id>".
func regexpKeyIDOf(project string) *regexp.Regexp {
	return regexp.MustCompile(`^` + regexp.QuoteMeta(project) + `:[1-9][0-9]*$`)
}
