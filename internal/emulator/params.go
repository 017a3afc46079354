package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
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

// boolean coerces leniently, as Grape does (gitlab-api.md, "Order of checks").
// It returns nil when the parameter is absent or rejected.
func (v *validator) boolean(name string, required bool) *bool {
	p, ok := v.params[name]
	if !ok {
		if required {
			v.fail(name, "is missing")
		}
		return nil
	}
	switch p.kind {
	case paramBool:
		b := p.b
		return &b
	case paramNull:
		v.fail(name, "is empty")
		return nil
	case paramComposite:
		v.fail(name, "is invalid")
		return nil
	}
	if strings.TrimSpace(p.s) == "" {
		v.fail(name, "is empty")
		return nil
	}
	b, ok := parseBool(p.s)
	if !ok {
		v.fail(name, "is invalid")
		return nil
	}
	return &b
}

func parseBool(s string) (value, ok bool) {
	switch strings.ToLower(s) {
	case "1", "t", "true", "y", "yes", "on":
		return true, true
	case "0", "f", "false", "n", "no", "off":
		return false, true
	}
	return false, false
}

// integer returns nil when the parameter is absent (or empty, for an
// optional one) or rejected.
func (v *validator) integer(name string, required bool) *int64 {
	p, ok := v.params[name]
	if !ok {
		if required {
			v.fail(name, "is missing")
		}
		return nil
	}
	if p.kind == paramNull || (p.kind == paramString && strings.TrimSpace(p.s) == "") {
		if required {
			v.fail(name, "is empty")
		}
		return nil
	}
	if p.kind != paramString {
		v.fail(name, "is invalid")
		return nil
	}
	n, err := strconv.ParseInt(p.s, 10, 64)
	if err != nil {
		v.fail(name, "is invalid")
		return nil
	}
	return &n
}
