// Package readfile reads whole files with as few system calls as the
// system allows. Generate reads every source file of the packages it
// checks, about two thousand on a small service; os.ReadFile makes ten
// calls for each on Linux (the runtime tries each file with its poller),
// ReadFile five.
package readfile
