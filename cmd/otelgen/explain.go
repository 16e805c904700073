package main

import (
	"flag"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/otelgen/otelgen/rewriter"
	"github.com/otelgen/otelgen/rules"
)

func init() {
	commands = append(commands, &command{
		name:    "explain",
		args:    " [package|function|rule-id]",
		summary: "show which rules apply where, and why others do not",
		help: `
Explain runs the pipeline without writing anything and prints, for every rule
in force, where it applies and, where it does not, why: the target package is
not in the build, its module or the Go version is outside the rule's range,
the function does not exist, or a hook's signature does not fit its target.
It is the first thing to run when a span you expected is missing.

With an argument, only the rows whose rule id, package or function contain it
are shown, as in: otelgen explain net/http, otelgen explain roundTrip.
The packages loaded are those of the last generate (default ./...).`,
		run: runExplain,
	})
}

type explainRow struct{ rule, target, result, why string }

func runExplain(c *cli, fs *flag.FlagSet, args []string) int {
	if len(args) > 1 {
		return c.usageError("explain takes at most one argument")
	}
	p := newProgress(c.stderr)
	res, err := rewriter.Generate(rewriter.Options{Dir: c.absDir(), Patterns: c.lockPatterns(), Version: version(), Explain: true, Context: c.ctx, Progress: p.fn()})
	p.stop()
	if code, ok := c.interrupted(); ok {
		return code
	}
	if err != nil {
		c.errorf("%v", err)
		return exitUsage
	}
	failed := map[string]string{}
	for _, p := range res.Problems {
		msg := p.Err.Error()
		if re, ok := p.Err.(*rules.Error); ok {
			msg = re.Msg
		}
		failed[p.Rule.ID+"\x00"+p.Pkg] = strings.ReplaceAll(msg, "\n\t", "; ")
	}
	var rows []explainRow
	for _, m := range res.Match.Matches {
		r := m.Rule
		target := m.Pkg.PkgPath
		result := map[rules.Kind]string{rules.KindHook: "hooked", rules.KindField: "field added", rules.KindFile: "file added", rules.KindInsert: "inserted", rules.KindSpan: "span"}[r.Kind]
		switch r.Kind {
		case rules.KindHook, rules.KindInsert, rules.KindSpan:
			target += "." + r.Function
		case rules.KindField:
			target += "." + r.Struct + "." + r.FieldName
		case rules.KindFile:
			target += " +" + r.FileName
		}
		why := ""
		if r.Kind == rules.KindHook {
			var hooks []string
			for _, h := range []rules.HookRef{r.Before, r.After} {
				if !h.IsZero() {
					hooks = append(hooks, h.String())
				}
			}
			why = strings.Join(hooks, ", ")
		}
		if r.Kind == rules.KindSpan {
			why = fmt.Sprintf("//otel:span at %s:%d: span %q", filepath.Base(r.Pos.File), r.Pos.Line, r.SpanName)
		}
		if msg, ok := failed[r.ID+"\x00"+m.Pkg.PkgPath]; ok {
			result, why = "FAILED", msg
		}
		rows = append(rows, explainRow{r.ID, target, result, why})
	}
	for _, m := range res.Match.Misses {
		target := m.Rule.Package
		if m.Rule.Function != "" {
			target += "." + m.Rule.Function
		}
		rows = append(rows, explainRow{m.Rule.ID, target, "not applied", m.Reason})
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].rule != rows[j].rule {
			return rows[i].rule < rows[j].rule
		}
		return rows[i].target < rows[j].target
	})
	filter := ""
	if len(args) == 1 {
		filter = args[0]
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "RULE\tTARGET\tRESULT\tWHY")
	shown := 0
	for _, r := range rows {
		if filter != "" && !strings.Contains(r.rule, filter) && !strings.Contains(r.target, filter) {
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.rule, r.target, r.result, r.why)
		shown++
	}
	tw.Flush()
	if shown == 0 {
		fmt.Fprintf(c.stdout, "no rule targets %q; see otelgen rules for the rules in force\n", filter)
	}
	for _, n := range res.Notes {
		fmt.Fprintf(c.stdout, "\nnote: %s\n", n)
	}
	return exitOK
}
