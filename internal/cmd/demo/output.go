package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"
)

func flatten(prefix string, v any, into map[string]string) {
	switch v := v.(type) {
	case map[string]any:
		for k, sub := range v {
			flatten(prefix+"."+k, sub, into)
		}
	case []any:
		parts := make([]string, len(v))
		for i, sub := range v {
			parts[i] = fmt.Sprint(sub)
		}
		into[prefix] = "[" + strings.Join(parts, ", ") + "]"
	case nil:
		into[prefix] = "null"
	case float64:
		into[prefix] = fmt.Sprint(int64(v))
	default:
		into[prefix] = fmt.Sprint(v)
	}
}

// printPlanSummary shows what a plan found changed outside of Terraform and
// what it would do about it.
func printPlanSummary(out, product string) {
	for _, line := range planSummary(out, product) {
		fmt.Println(line)
	}
}

// planSummary is the resource headers, the changed attributes and the
// "Plan:" line of a plan, without the full resource bodies, indented for
// the demo's output. product is how the CLI names itself in its output:
// "Terraform" or "OpenTofu".
func planSummary(out, product string) []string {
	header := regexp.MustCompile(`^\s+# \S+ (has|will|must) `)
	change := regexp.MustCompile(`^\s+~ \w+\s+= .+ -> `)
	var lines []string
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "Note: Objects have changed outside of "+product):
			lines = append(lines, "    Changed outside of "+product+":")
		case strings.HasPrefix(line, product+" will perform the following actions"):
			lines = append(lines, "    "+product+" would:")
		case strings.HasPrefix(line, "Plan:"):
			lines = append(lines, "    "+line)
		case strings.HasPrefix(line, "Changes to Outputs:"):
			return lines
		case header.MatchString(line):
			lines = append(lines, "      "+strings.TrimSpace(line))
		case change.MatchString(line):
			lines = append(lines, "          "+strings.TrimSpace(line))
		}
	}
	return lines
}

func printMatching(out, pattern string) {
	re := regexp.MustCompile(pattern)
	for _, line := range strings.Split(out, "\n") {
		if re.MatchString(line) {
			fmt.Println("    " + line)
		}
	}
}

// commandFailed makes an error of a failed CLI command with its output.
func commandFailed(what string, code int, err error, out string) error {
	if err == nil {
		err = fmt.Errorf("exit code %d", code)
	}
	rest, warnings := splitWarnings(out)
	var b strings.Builder
	for _, w := range warnings {
		b.WriteString("    | Warning: " + w + "\n")
	}
	for _, line := range strings.Split(strings.TrimSpace(rest), "\n") {
		b.WriteString("    | " + line + "\n")
	}
	return fmt.Errorf("%s: %w\n%s", what, err, strings.TrimRight(b.String(), "\n"))
}

const devOverridesWarning = "Provider development overrides are in effect"

// splitWarnings takes terraform's warnings out of its output and returns
// their summaries, without the one dev_overrides causes on every command
// (expected: the demo runs the provider it has just built). It knows the
// compact form (-compact-warnings) and the full one.
func splitWarnings(out string) (string, []string) {
	var rest []string
	var warnings []string
	lines := strings.Split(out, "\n")
	for i := 0; i < len(lines); i++ {
		line := strings.TrimSpace(lines[i])
		switch line {
		case "Warnings:": // compact: "- summary" items, then a hint
			for i++; i < len(lines); i++ {
				item := strings.TrimSpace(lines[i])
				if strings.HasPrefix(item, "To see the full warning notes") {
					break
				}
				if summary, ok := strings.CutPrefix(item, "- "); ok && summary != devOverridesWarning {
					warnings = append(warnings, summary)
				}
			}
		case "Warning: " + devOverridesWarning: // full: ends with "...published releases."
			for i+1 < len(lines) && !strings.HasSuffix(strings.TrimSpace(lines[i]), "releases.") {
				i++
			}
		default:
			rest = append(rest, lines[i])
		}
	}
	return strings.Join(rest, "\n"), warnings
}

// printWarnings shows the warnings of a successful command, if any.
func printWarnings(out string) {
	_, warnings := splitWarnings(out)
	for _, w := range warnings {
		fmt.Println("    warning: " + w)
	}
}

type prefixedWriter struct {
	w      io.Writer
	prefix string
	midway bool
}

func prefixWriter(w io.Writer, prefix string) io.Writer {
	return &prefixedWriter{w: w, prefix: prefix}
}

func (p *prefixedWriter) Write(b []byte) (int, error) {
	var out bytes.Buffer
	for _, c := range b {
		if !p.midway {
			out.WriteString(p.prefix)
			p.midway = true
		}
		out.WriteByte(c)
		if c == '\n' {
			p.midway = false
		}
	}
	if _, err := p.w.Write(out.Bytes()); err != nil {
		return 0, err
	}
	return len(b), nil
}
