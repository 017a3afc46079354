package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

const maxBodyBytes = 1 << 20

type paramKind int

const (
	paramString    paramKind = iota // query, form, or a JSON string or number
	paramBool                       // JSON true/false
	paramNull                       // JSON null
	paramComposite                  // JSON array or object
)

type param struct {
	kind paramKind
	s    string
	b    bool
}

// params are the request parameters merged as Grape merges them: the query
// string first, then a form or JSON body, later sources winning.
type params map[string]param

var errInvalidJSON = errors.New("body is not a valid JSON object")

// readParams never fails the request by itself: a malformed body is reported
// at the parameter-validation step, after authentication and authorization.
func readParams(r *http.Request) (params, error) {
	ps := params{}
	for k, vs := range r.URL.Query() {
		ps[k] = param{kind: paramString, s: vs[len(vs)-1]}
	}
	if r.Body == nil {
		return ps, nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes))
	if err != nil {
		return ps, err
	}
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mediaType {
	case "application/x-www-form-urlencoded":
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return ps, err
		}
		for k, vs := range form {
			ps[k] = param{kind: paramString, s: vs[len(vs)-1]}
		}
	case "application/json":
		if len(bytes.TrimSpace(body)) == 0 {
			return ps, nil
		}
		var obj map[string]any
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		if err := dec.Decode(&obj); err != nil {
			return ps, errInvalidJSON
		}
		for k, v := range obj {
			ps[k] = jsonParam(v)
		}
	}
	return ps, nil
}

func jsonParam(v any) param {
	switch v := v.(type) {
	case nil:
		return param{kind: paramNull}
	case bool:
		return param{kind: paramBool, b: v}
	case string:
		return param{kind: paramString, s: v}
	case json.Number:
		return param{kind: paramString, s: v.String()}
	default:
		return param{kind: paramComposite}
	}
}

// validator collects parameter errors in declaration order; GitLab reports
// them all at once, joined with ", ".
type validator struct {
	params params
	errs   []string
}

func (v *validator) fail(name, problem string) {
	v.errs = append(v.errs, name+" "+problem)
}

// failed returns the 400 answer if any parameter was rejected.
func (v *validator) failed() (response, bool) {
	if len(v.errs) == 0 {
		return response{}, false
	}
	return jsonResponse(http.StatusBadRequest, errorBody{Error: strings.Join(v.errs, ", ")}), true
}

// boolean is a Grape Boolean parameter (gitlab-api.md, "Order of checks"),
// nil when absent or rejected. Sent empty or as JSON null it is coerced to
// nil, which an optional parameter ignores and allowBlank=false refuses as
// "is empty". A required parameter that is missing is "is missing", and
// also "is empty" when it does not allow blanks.
func (v *validator) boolean(name string, required, allowBlank bool) *bool {
	p, ok := v.params[name]
	if !ok {
		if required {
			v.fail(name, "is missing")
			if !allowBlank {
				v.fail(name, "is empty")
			}
		}
		return nil
	}
	switch {
	case p.kind == paramBool:
		b := p.b
		return &b
	case p.kind == paramComposite:
		v.fail(name, "is invalid")
		return nil
	case p.kind == paramNull || p.s == "":
		if !allowBlank {
			v.fail(name, "is empty")
		}
		return nil
	case !allowBlank && strings.TrimSpace(p.s) == "":
		v.fail(name, "is empty")
		return nil
	}
	return coerce(v, name, p.s, parseBool)
}

// booleanOr is an optional Boolean with a default, which also stands in for
// an empty or null value.
func (v *validator) booleanOr(name string, def bool) bool {
	if b := v.boolean(name, false, true); b != nil {
		return *b
	}
	return def
}

// oneOf is an optional String with `values:` and a default: another value
// is "does not have a valid value".
func (v *validator) oneOf(name, def string, values ...string) string {
	p, ok := v.params[name]
	if !ok || p.kind == paramNull {
		return def
	}
	if p.kind == paramString && slices.Contains(values, p.s) {
		return p.s
	}
	v.fail(name, "does not have a valid value")
	return def
}

// parseBool accepts exactly dry-types' Params::Bool strings: no other
// mixture of cases.
func parseBool(s string) (value, ok bool) {
	switch s {
	case "1", "on", "On", "ON", "t", "T", "true", "True", "TRUE", "y", "Y", "yes", "Yes", "YES":
		return true, true
	case "0", "off", "Off", "OFF", "f", "F", "false", "False", "FALSE", "n", "N", "no", "No", "NO":
		return false, true
	}
	return false, false
}

// integer is a Grape Integer parameter: Ruby's Integer() on a string, so
// surrounding spaces, a sign and underscores between digits are allowed. It
// returns nil when the parameter is absent, empty or null (Grape's nil), or
// rejected.
func (v *validator) integer(name string) *int64 {
	p, ok := v.params[name]
	if !ok || p.kind == paramNull || (p.kind == paramString && p.s == "") {
		return nil
	}
	if p.kind != paramString {
		v.fail(name, "is invalid")
		return nil
	}
	return coerce(v, name, p.s, rubyInteger)
}

// coerce is Grape's coercion of a string parameter with parse: nil and
// "is invalid" when parse refuses it.
func coerce[T any](v *validator, name, s string, parse func(string) (T, bool)) *T {
	x, ok := parse(s)
	if !ok {
		v.fail(name, "is invalid")
		return nil
	}
	return &x
}

// rubyInteger is Ruby's Integer(s): the whole string must be a number.
func rubyInteger(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	n, rest := rubyToI(s)
	if rest != len(s) || rest == 0 || !isDigit(s[rest-1]) {
		return 0, false
	}
	return n, true
}

// rubyToI is Ruby's String#to_i: leading white space, a sign, then digits
// with single underscores between them; whatever follows is ignored, and no
// digits at all is 0. It also returns how many bytes it read. Values beyond
// int64 saturate.
func rubyToI(s string) (n int64, read int) {
	i := 0
	for i < len(s) && strings.IndexByte(" \t\n\v\f\r", s[i]) >= 0 {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	digits := 0
	for i < len(s) {
		if s[i] == '_' && digits > 0 && i+1 < len(s) && isDigit(s[i+1]) {
			i++
			continue
		}
		if !isDigit(s[i]) {
			break
		}
		d := int64(s[i] - '0')
		if n > (math.MaxInt64-d)/10 {
			n = math.MaxInt64
		} else {
			n = n*10 + d
		}
		digits++
		i++
	}
	if digits == 0 {
		return 0, 0
	}
	if neg {
		n = -n
	}
	return n, i
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
