// Package migrations holds the Go migrations that build the schema and the
// app settings. Each capability adds its own file; the timestamps order them.
//
// Migrations are frozen: an applied migration must mean the same thing
// forever, so each holds the literal schema it created and imports no
// package of this project (the runtime vocabulary is package vocab; its
// tests check the schema built here against it). The values and helpers in
// this package are part of the migrations that use them: never change one;
// change the schema with a new migration. Every migration can be reverted
// (migrations_test.go runs them all up and down).
package migrations

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
)

// Rules shared by the collections. A nil rule means "superusers (staff) only",
// an empty string means "everyone": never use "" by accident.
const (
	// ruleDeputy: any logged-in deputy (presidium members are deputies too).
	ruleDeputy = `@request.auth.collectionName = "deputies" && @request.auth.active = true`
	// rulePresidium: a logged-in presidium member (主席团成员).
	rulePresidium = ruleDeputy + ` && @request.auth.presidium = true`
)

func rule(s string) *string { return &s }

// withHelp sets the Chinese help text of each named field so staff reading the
// admin UI's English field names know what they hold.
func withHelp(c *core.Collection, help map[string]string) error {
	for name, text := range help {
		f := c.Fields.GetByName(name)
		if f == nil {
			return fmt.Errorf("%s: no field %q to describe", c.Name, name)
		}
		switch field := f.(type) {
		case *core.TextField:
			field.Help = text
		case *core.EmailField:
			field.Help = text
		case *core.PasswordField:
			field.Help = text
		case *core.BoolField:
			field.Help = text
		case *core.NumberField:
			field.Help = text
		case *core.SelectField:
			field.Help = text
		case *core.RelationField:
			field.Help = text
		case *core.FileField:
			field.Help = text
		case *core.DateField:
			field.Help = text
		case *core.JSONField:
			field.Help = text
		case *core.GeoPointField:
			field.Help = text
		case *core.URLField:
			field.Help = text
		case *core.EditorField:
			field.Help = text
		default:
			return fmt.Errorf("%s.%s: no help for field type %T", c.Name, name, f)
		}
	}
	return nil
}

// setIndex replaces the (non-unique) index name of collection with one on
// columns: a migration that widens an index and, going down, narrows it
// back.
func setIndex(app core.App, collection, name, columns string) error {
	c, err := app.FindCollectionByNameOrId(collection)
	if err != nil {
		return err
	}
	c.RemoveIndex(name)
	c.AddIndex(name, false, columns, "")
	return app.Save(c)
}
