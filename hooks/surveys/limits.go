package surveys

import "simeng/hooks/internal/formguard"

// DefaultFormLimits are the survey form's abuse limits unless
// SetFormLimits says otherwise.
func DefaultFormLimits() formguard.Limits { return formguard.DefaultLimits }
