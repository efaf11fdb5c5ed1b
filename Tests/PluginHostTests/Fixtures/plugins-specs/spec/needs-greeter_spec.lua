describe("needs-greeter", function()
  it("sees what greeter did", function()
    local r = run("hello hello hello")
    expect(r.features.double).to_be(6)
    expect(r.statuses.greeter).to_be("ok")
  end)

  it("fails on purpose", function()
    expect(run("hello").features.double).to_be(3)
  end)

  it("raises on purpose", function()
    local t = nil
    return t.field
  end)

  pending("is not written yet")

  it("loops", function() while true do end end)

  it("still runs after a loop", function() expect(true).to_be_truthy() end)
end)
