package main

import (
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/otelgen/otelgen/rewriter"
	"github.com/otelgen/otelgen/rules"
)

func init() {
	var schema, settings bool
	commands = append(commands, &command{
		name:    "rules",
		summary: "list the rules in force, or print the rule file schema",
		help: `
Rules lists the rules in force for the module: the built-in ones that
otelgen.yaml does not disable, and otelgen.yaml's own. With -schema it prints
the JSON schema of rule files instead. With -settings it lists the settings
the integrations offer, each with the value otelgen.yaml gives it (under
"settings: <integration>: <name>: <value>"), its default, and the variable
that overrides it at run time.`,
		flags: func(fs *flag.FlagSet) {
			fs.BoolVar(&schema, "schema", false, "print the JSON schema of rule files")
			fs.BoolVar(&settings, "settings", false, "list the integrations' settings")
		},
		run: func(c *cli, fs *flag.FlagSet, args []string) int {
			if schema {
				c.stdout.Write(rules.Schema())
				return exitOK
			}
			set, err := rewriter.RuleSet(c.root())
			if err != nil {
				c.errorf("%v", err)
				return exitUsage
			}
			if settings {
				return c.listSettings(set)
			}
			tw := tabwriter.NewWriter(c.stdout, 0, 8, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tKIND\tTARGET\tFROM")
			for _, r := range set.Rules {
				target := r.Package
				switch r.Kind {
				case rules.KindHook, rules.KindInsert:
					target += "." + r.Function
				case rules.KindField:
					target += "." + r.Struct + "." + r.FieldName
				case rules.KindFile:
					target += " +" + r.FileName
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Kind, target, r.Pos)
			}
			tw.Flush()
			for _, id := range set.Disabled {
				fmt.Fprintf(c.stdout, "disabled: %s\n", id)
			}
			return exitOK
		},
	})
}

func sortedCopy(s []string) []string {
	out := append([]string(nil), s...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// listSettings prints each declared setting with its value in force.
func (c *cli) listSettings(set *rules.Set) int {
	declared, err := rules.BuiltinSettings()
	if err != nil {
		c.errorf("%v", err)
		return exitUsage
	}
	for _, d := range declared {
		value, from := d.Default, "default"
		if d.List {
			value = "[]"
		}
		for _, v := range set.Values {
			if v.Integration == d.Integration && v.Name == d.Name {
				value, from = v.Value, "otelgen.yaml"
				if v.IsList {
					value = "[" + strings.Join(v.List, ", ") + "]"
				}
			}
		}
		kind := "one of " + strings.Join(d.Values, ", ")
		if d.List {
			kind = "a list of names"
			if len(d.Forbid) > 0 {
				kind += ", never " + strings.Join(d.Forbid, ", ")
			}
		}
		fmt.Fprintf(c.stdout, "%s.%s = %s (%s; %s)\n\t%s\n\tAt run time, %s overrides it when set.\n",
			d.Integration, d.Name, value, from, kind, d.Doc, d.Env)
	}
	return exitOK
}
