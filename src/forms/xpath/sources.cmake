# forms/xpath: the ODK XPath expression engine (owned by the xpath work; fill in the lists).
