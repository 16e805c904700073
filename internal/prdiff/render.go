package prdiff

// Rendering a comparison: as a unified diff, as a pull-request comment in
// Markdown, and as JSON.

import (
	"cmp"
	"fmt"
	"html"
	"slices"
	"strings"

	"github.com/otelgen/otelgen/rewriter/emit"
)

// CommentMarker starts every Markdown rendering; otelgen comment finds
// its earlier comment on a pull request by it.
const CommentMarker = "<!-- otelgen-pr-comment -->"

// CommentLimit is GitHub's limit on the length of a comment, in characters.
// The Markdown is kept to CommentBudget bytes, which is fewer characters.
const (
	CommentLimit  = 65536
	CommentBudget = 65000
)

// Unified renders the sections of the files whose instrumentation
// changed, in path order.
func Unified(c *Comparison) string {
	var b strings.Builder
	for _, f := range c.changed() {
		b.WriteString(f.section)
	}
	return b.String()
}

// mdRow is one row of the summary table: what one or more rules inject into
// one target of one file.
type mdRow struct {
	change string
	rules  []string
	pkg    string
	target string
	file   string
	line   int
}

// Markdown renders the comparison as a pull-request comment of at most
// limit bytes. cmdline is the command that reproduces it in full.
func Markdown(c *Comparison, cmdline string, limit int) string {
	withBase := c.Base != ""
	var head strings.Builder
	head.WriteString(CommentMarker + "\n")
	changed := c.changed()
	counts := map[string]int{}
	for _, f := range changed {
		counts[f.Status]++
	}
	if withBase {
		fmt.Fprintf(&head, "### otelgen: what this change injects\n\n")
		if len(changed) == 0 {
			fmt.Fprintf(&head, "Compared with `%s`, this change does not change what otelgen injects (%s).\n", c.Base, plural(len(c.Files), "instrumented file"))
		} else {
			added, removed := 0, 0
			for _, in := range c.Injections {
				switch in.Change {
				case statusAdded:
					added++
				case statusRemoved:
					removed++
				}
			}
			parts := []string{plural(added, "injection") + " added", fmt.Sprintf("%d removed", removed)}
			if n := counts[statusAdded]; n > 0 {
				parts = append(parts, plural(n, "file")+" newly instrumented")
			}
			if n := counts[statusChanged]; n > 0 {
				parts = append(parts, plural(n, "file")+" instrumented differently")
			}
			if n := counts[statusRemoved]; n > 0 {
				parts = append(parts, plural(n, "file")+" no longer instrumented")
			}
			fmt.Fprintf(&head, "Compared with `%s`: %s.\n", c.Base, strings.Join(parts, ", "))
		}
	} else {
		created := 0
		for _, f := range c.Files {
			if f.Created {
				created++
			}
		}
		fmt.Fprintf(&head, "### otelgen instrumentation\n\n")
		fmt.Fprintf(&head, "otelgen rewrites %s and adds %s.\n", plural(len(c.Files)-created, "file"), plural(created, "file"))
	}

	// The summary table.
	rows := tableRows(c)
	lines := map[string]*FileChange{}
	for _, f := range c.Files {
		lines[f.Path] = f
	}
	var table []string
	if len(rows) > 0 {
		hdr := "| rule | package | function / target | file | lines |\n|---|---|---|---|---|\n"
		if withBase {
			hdr = "| change | rule | package | function / target | file | lines |\n|---|---|---|---|---|---|\n"
		}
		table = append(table, hdr)
		shown := map[string]bool{}
		for _, r := range rows {
			var ids []string
			for _, id := range r.rules {
				ids = append(ids, "`"+id+"`")
			}
			n := ""
			if !shown[r.file] {
				shown[r.file] = true
				f := lines[r.file]
				n = fmt.Sprintf("+%d", f.LinesAdded)
				if f.LinesRemoved > 0 {
					n += fmt.Sprintf(" −%d", f.LinesRemoved)
				}
			}
			cells := []string{strings.Join(ids, " "), "`" + r.pkg + "`", r.target, fmt.Sprintf("`%s:%d`", r.file, r.line), n}
			if withBase {
				cells = append([]string{r.change}, cells...)
			}
			table = append(table, "| "+strings.Join(cells, " | ")+" |\n")
		}
	}

	// The files' sections.
	var sections []string
	for _, f := range changed {
		sections = append(sections, detailsSection(f, c.Base))
	}

	foot := fmt.Sprintf("\n<sub>`%s`</sub>\n", cmdline)
	budget := limit - len(head.String()) - len(foot) - 400 // room for the notes
	if budget < 0 {
		budget = 0
	}

	// The table gets at most half the budget; the diffs get the rest.
	var out strings.Builder
	out.WriteString(head.String())
	if len(table) > 0 {
		out.WriteString("\n")
		used, cut := 0, 0
		for i, r := range table {
			if i > 0 && used+len(r) > budget/2 {
				cut = len(table) - i
				break
			}
			used += len(r)
			out.WriteString(r)
		}
		if cut > 0 {
			fmt.Fprintf(&out, "\n_%s of this table left out to fit GitHub's comment limit: run `%s` for all of them._\n", plural(cut, "row"), strings.Replace(cmdline, "--format markdown", "--format json", 1))
		}
		budget -= used
	}

	// Whole files' diffs are left out, the largest first, until the rest
	// fits: that keeps as many files as possible.
	total := 0
	for _, s := range sections {
		total += len(s)
	}
	left := map[int]bool{}
	if total > budget {
		order := make([]int, len(sections))
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(i, j int) int { return cmp.Compare(len(sections[j]), len(sections[i])) })
		for _, i := range order {
			if total <= budget {
				break
			}
			left[i] = true
			total -= len(sections[i])
		}
	}
	if len(sections) > 0 {
		out.WriteString("\n")
	}
	for i, s := range sections {
		if !left[i] {
			out.WriteString(s)
		}
	}
	if len(left) > 0 {
		fmt.Fprintf(&out, "\n_The diffs of %s are left out (the largest first) to keep this comment under GitHub's limit of %d characters: run `%s` to see them._\n", plural(len(left), "file"), CommentLimit, strings.Replace(cmdline, " --format markdown", "", 1))
	}
	out.WriteString(foot)
	return out.String()
}

// tableRows groups the injections to show: one row per file, change and
// target, with the rules that inject there.
func tableRows(c *Comparison) []mdRow {
	status := map[string]string{}
	for _, f := range c.Files {
		status[f.Path] = f.Status
	}
	// A file instrumented differently shows the injections added and
	// removed, or when there are none (the injected code changed, as after
	// an otelgen upgrade) its injections as changed.
	moved := map[string]bool{}
	for _, in := range c.Injections {
		if in.Change != statusUnchanged {
			moved[in.File] = true
		}
	}
	var rows []mdRow
	index := map[string]int{}
	for _, in := range c.Injections {
		change := in.Change
		if c.Base != "" {
			switch {
			case in.Change == statusUnchanged && status[in.File] == statusChanged && !moved[in.File]:
				change = statusChanged
			case in.Change == statusUnchanged:
				continue
			}
		}
		target := displayTarget(in)
		k := strings.Join([]string{in.File, change, in.Kind, target}, "\x00")
		if i, ok := index[k]; ok {
			rows[i].rules = append(rows[i].rules, in.Rule)
			continue
		}
		index[k] = len(rows)
		rows = append(rows, mdRow{change: change, rules: []string{in.Rule}, pkg: in.Package, target: target, file: in.File, line: in.Line})
	}
	for i := range rows {
		slices.Sort(rows[i].rules)
	}
	return rows
}

// displayTarget says in the table what an injection targets.
func displayTarget(in *Injection) string {
	switch in.Kind {
	case emit.InjHook:
		return "`" + in.Function + "`"
	case emit.InjInsert:
		return "`" + in.Function + "` (statement)"
	case emit.InjField:
		return "`" + in.Target + "` (field)"
	case emit.InjFile:
		return "`" + in.Target + "` (new file)"
	case emit.InjHooks:
		return "hook variables"
	case emit.InjRegister:
		return "hook registration"
	}
	return "`" + in.Target + "`"
}

// detailsSection renders one file's diff as a collapsible section.
func detailsSection(f *FileChange, base string) string {
	var what string
	switch f.Status {
	case statusAdded:
		what = "new file"
		if !f.Created {
			what = "original → instrumented"
		}
		if base != "" {
			what = "newly instrumented, " + what
		}
	case statusRemoved:
		what = "no longer instrumented: instrumented → original"
		if f.Created {
			what = "no longer added"
		}
	case statusChanged:
		what = "instrumented differently, original → instrumented"
		if f.sinceBase {
			what = "instrumented differently: as at " + base + " → now"
		}
	}
	counts := fmt.Sprintf("+%d", f.LinesAdded)
	if f.LinesRemoved > 0 {
		counts += fmt.Sprintf(" −%d", f.LinesRemoved)
	}
	section := f.section
	if section != "" && !strings.HasSuffix(section, "\n") {
		section += "\n"
	}
	fence := strings.Repeat("`", max(3, longestRun(section, '`')+1))
	return fmt.Sprintf("<details><summary><code>%s</code> (%s; %s)</summary>\n\n%sdiff\n%s%s\n\n</details>\n",
		html.EscapeString(f.Path), html.EscapeString(what), counts, fence, section, fence)
}

// longestRun returns the length of the longest run of c in s.
func longestRun(s string, c byte) int {
	best, n := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			n++
			best = max(best, n)
		} else {
			n = 0
		}
	}
	return best
}

// plural renders "1 file", "2 files".
func plural(n int, what string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", what)
	}
	return fmt.Sprintf("%d %ss", n, what)
}
