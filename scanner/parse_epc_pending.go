package scanner

// parseEPCInput is a placeholder until epc.go's ParseEPC lands.
func parseEPCInput(input string, opts Options) (Data, error) {
	return Data{}, Errors{{Message: "EPC URNs are not supported yet"}}
}
