package syncengine

// StoredIDsSQL is storedIDsSQL for the query-plan tests.
var StoredIDsSQL = storedIDsSQL
